package dev.tsconnect.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.source.SourceConnector;

import java.io.DataInputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads requests and runs each on the thread of the instance it names, so that a plugin that blocks holds only its
 * own thread: the reading loop, other instances and the worker (heartbeats, REST) go on. stop and release run on a
 * shared pool instead, beside a pending poll or put, as Java's worker calls stop() from another thread.
 */
final class Host {
    private final Channel channel;
    private final Map<Long, Instance> instances = new ConcurrentHashMap<>();
    private final ExecutorService shared = Executors.newCachedThreadPool(threads("tsconnect-host"));
    private volatile Plugins plugins;

    Host(Channel channel) {
        this.channel = channel;
    }

    static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    Channel channel() {
        return channel;
    }

    Plugins plugins() {
        return plugins;
    }

    void run(DataInputStream in) throws Exception {
        while (true) {
            JsonNode message = Channel.read(in);
            if (message == null) break;
            if (message.has("re")) {
                channel.answered(message);
                continue;
            }
            dispatch((ObjectNode) message);
        }
        channel.closeAll();
    }

    /** The functions the requests run. */
    interface Op {
        JsonNode run() throws Exception;
    }

    private void dispatch(ObjectNode m) {
        String op = m.path("op").asText();
        long id = m.path("id").asLong();
        long instanceId = m.path("instance").asLong(-1);
        switch (op) {
            case "init":
                shared.execute(() -> respond(id, null, () -> init(m.get("props"))));
                return;
            case "validate":
                shared.execute(() -> respond(id, null, () -> validate(m)));
                return;
            case "echo":
                shared.execute(() -> respond(id, null, () -> echo(m)));
                return;
            case "connector.new":
            case "task.new": {
                Instance created = op.equals("task.new") ? TaskInstance.create(this, instanceId, m) : new ConnectorInstance(this, instanceId);
                instances.put(instanceId, created);
                created.thread.execute(() -> respond(id, created, () -> created.create(m)));
                return;
            }
            default:
                break;
        }
        Instance instance = instances.get(instanceId);
        if (instance == null) {
            respondError(id, new IllegalStateException("No instance " + instanceId + " for " + op));
            return;
        }
        if (op.equals("stop")) {
            shared.execute(() -> respond(id, instance, instance::stop));
        } else if (op.equals("release")) {
            instances.remove(instanceId);
            instance.thread.shutdown();
            respond(id, null, () -> null);
        } else {
            instance.thread.execute(() -> respond(id, instance, () -> instance.handle(op, m)));
        }
    }

    private void respond(long id, Instance instance, Op op) {
        ClassLoader loader = instance == null ? null : instance.loader;
        try (LoaderSwap swap = loader == null || plugins == null ? null : plugins.withClassLoader(loader)) {
            JsonNode result = op.run();
            ObjectNode r = Channel.object();
            r.put("re", id);
            r.put("ok", true);
            r.set("result", result == null ? Channel.JSON.nullNode() : result);
            channel.send(r);
        } catch (Throwable t) {
            respondError(id, t);
        }
    }

    private void respondError(long id, Throwable t) {
        while ((t instanceof InvocationTargetException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        ObjectNode r = Channel.object();
        r.put("re", id);
        r.put("ok", false);
        r.set("error", Wire.error(t));
        channel.send(r);
    }

    /** Sends an event (no answer expected). */
    void event(String name, long instance, ObjectNode body) {
        body.put("event", name);
        body.put("instance", instance);
        channel.send(body);
    }

    /** Discovers the plugins of plugin.path with Kafka's own Plugins (plugin.discovery honoured) and lists them. */
    private JsonNode init(JsonNode props) {
        plugins = new Plugins(Wire.stringMap(props));
        ObjectNode result = Channel.object();
        ArrayNode list = result.putArray("plugins");
        listPlugins(list, plugins.sourceConnectors());
        listPlugins(list, plugins.sinkConnectors());
        listPlugins(list, plugins.converters());
        listPlugins(list, plugins.headerConverters());
        listPlugins(list, plugins.transformations());
        listPlugins(list, plugins.predicates());
        return result;
    }

    private <T> void listPlugins(ArrayNode list, Collection<PluginDesc<T>> descs) {
        for (PluginDesc<T> d : descs) {
            // The host's own classpath (connect-runtime's converters and transforms) is tsconnect's built-ins' job.
            if ("classpath".equals(d.location())) continue;
            ObjectNode o = list.addObject();
            o.put("class", d.className());
            o.put("type", d.typeName());
            o.put("version", d.version());
            o.put("location", d.location());
            try (LoaderSwap swap = plugins.withClassLoader(d.loader())) {
                Object instance = d.pluginClass().getDeclaredConstructor().newInstance();
                if (instance instanceof Connector) {
                    o.put("taskClass", ((Connector) instance).taskClass().getName());
                    o.set("config", Wire.configDef(((Connector) instance).config()));
                } else if (instance instanceof org.apache.kafka.connect.storage.Converter) {
                    o.set("config", Wire.configDef(((org.apache.kafka.connect.storage.Converter) instance).config()));
                } else if (instance instanceof org.apache.kafka.connect.storage.HeaderConverter) {
                    o.set("config", Wire.configDef(((org.apache.kafka.connect.storage.HeaderConverter) instance).config()));
                } else if (instance instanceof org.apache.kafka.connect.transforms.Transformation) {
                    o.set("config", Wire.configDef(((org.apache.kafka.connect.transforms.Transformation<?>) instance).config()));
                } else if (instance instanceof org.apache.kafka.connect.transforms.predicates.Predicate) {
                    o.set("config", Wire.configDef(((org.apache.kafka.connect.transforms.predicates.Predicate<?>) instance).config()));
                }
            } catch (Throwable t) {
                o.set("error", Wire.error(t));
            }
        }
    }

    /**
     * Decodes values into Java's Connect data and encodes them again: the worker's check (and its tests') that data
     * crosses the boundary both ways unchanged.
     */
    private JsonNode echo(JsonNode m) {
        java.util.List<org.apache.kafka.connect.data.Schema> schemas = DataCodec.schemasFrom(m.get("schemas"));
        DataCodec.SchemaTable table = new DataCodec.SchemaTable();
        ArrayNode values = Channel.JSON.createArrayNode();
        for (JsonNode v : m.path("values")) {
            org.apache.kafka.connect.data.Schema schema = DataCodec.schemaAt(schemas, v.get(0));
            Object java = DataCodec.decode(schema, v.get(1));
            values.addArray().add(table.id(schema)).add(DataCodec.encode(schema, java));
        }
        ObjectNode result = Channel.object();
        result.set("schemas", table.schemas);
        result.set("values", values);
        return result;
    }

    /** Connector.validate(), in a fresh instance as Java's AbstractHerder does. */
    private JsonNode validate(JsonNode m) throws Exception {
        String className = m.path("class").asText();
        Connector connector = plugins.newConnector(className);
        try (LoaderSwap swap = plugins.withClassLoader(connector.getClass().getClassLoader())) {
            org.apache.kafka.common.config.Config config = connector.validate(Wire.stringMap(m.get("props")));
            ObjectNode result = Channel.object();
            ArrayNode values = result.putArray("values");
            for (org.apache.kafka.common.config.ConfigValue v : config.configValues()) values.add(Wire.configValue(v));
            return result;
        }
    }

    /** What every hosted connector or task is: its own thread and class loader. */
    abstract static class Instance {
        final Host host;
        final long id;
        final ExecutorService thread;
        volatile ClassLoader loader;

        Instance(Host host, long id, String threadName) {
            this.host = host;
            this.id = id;
            this.thread = Executors.newSingleThreadExecutor(threads(threadName));
        }

        abstract JsonNode create(JsonNode m) throws Exception;

        abstract JsonNode handle(String op, JsonNode m) throws Exception;

        abstract JsonNode stop() throws Exception;
    }

    /** A connector instance. */
    static final class ConnectorInstance extends Instance {
        private Connector connector;

        ConnectorInstance(Host host, long id) {
            super(host, id, "connector-" + id);
        }

        @Override
        JsonNode create(JsonNode m) {
            String className = m.path("class").asText();
            connector = host.plugins().newConnector(className);
            loader = connector.getClass().getClassLoader();
            HostContexts.Connector context = new HostContexts.Connector(host, id);
            try (LoaderSwap swap = host.plugins().withClassLoader(loader)) {
                connector.initialize(connector instanceof SourceConnector ? context.source() : context.sink());
            }
            return null;
        }

        @Override
        JsonNode handle(String op, JsonNode m) throws Exception {
            switch (op) {
                case "start":
                    connector.start(Wire.stringMap(m.get("props")));
                    return null;
                case "taskConfigs": {
                    ArrayNode a = Channel.JSON.createArrayNode();
                    for (Map<String, String> c : connector.taskConfigs(m.path("max").asInt())) a.add(Wire.stringMapJson(c));
                    return a;
                }
                case "exactlyOnceSupport": {
                    Object s = ((SourceConnector) connector).exactlyOnceSupport(Wire.stringMap(m.get("props")));
                    return s == null ? null : Channel.JSON.getNodeFactory().textNode(s.toString());
                }
                case "canDefineTransactionBoundaries":
                    return Channel.JSON.getNodeFactory().textNode(
                            ((SourceConnector) connector).canDefineTransactionBoundaries(Wire.stringMap(m.get("props"))).toString());
                case "alterOffsets":
                    return Channel.JSON.getNodeFactory().booleanNode(HostContexts.alterOffsets(connector, m));
                default:
                    throw new IllegalArgumentException("Unknown connector operation " + op);
            }
        }

        @Override
        JsonNode stop() {
            if (connector != null) {
                try (LoaderSwap swap = host.plugins().withClassLoader(loader)) {
                    connector.stop();
                }
            }
            return null;
        }
    }
}
