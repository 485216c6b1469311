package dev.tsconnect.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hosted source or sink task. The task class comes from a fresh instance of its connector (connector.taskClass(),
 * as Java's Worker does) and is instantiated in that connector's class loader.
 *
 * Source records polled are kept by id until the worker acknowledges them (commitRecords), so that commitRecord()
 * gets the very record the task returned; the worker asks for records only when it has room, which bounds this map.
 */
final class TaskInstance extends Host.Instance {
    private Task task;
    private boolean sink;
    private Map<String, String> props = Map.of();
    private boolean hasReporter;
    private final AtomicLong nextRecordId = new AtomicLong();
    private final Map<Long, SourceRecord> inFlight = new ConcurrentHashMap<>();
    private final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();

    private TaskInstance(Host host, long id) {
        super(host, id, "task-" + id);
    }

    static TaskInstance create(Host host, long id, JsonNode m) {
        return new TaskInstance(host, id);
    }

    @Override
    JsonNode create(JsonNode m) throws Exception {
        Connector connector = host.plugins().newConnector(m.path("connectorClass").asText());
        Class<? extends Task> taskClass;
        try (LoaderSwap swap = host.plugins().withClassLoader(connector.getClass().getClassLoader())) {
            taskClass = connector.taskClass();
        }
        loader = taskClass.getClassLoader();
        props = Wire.stringMap(m.get("props"));
        hasReporter = m.path("errantReporter").asBoolean(false);
        try (LoaderSwap swap = host.plugins().withClassLoader(loader)) {
            task = host.plugins().newTask(taskClass);
            if (task instanceof SinkTask) {
                sink = true;
                ((SinkTask) task).initialize(new SinkContext());
            } else {
                ((SourceTask) task).initialize(new SourceContext());
            }
        }
        ObjectNode result = Channel.object();
        result.put("taskClass", taskClass.getName());
        result.put("version", task.version());
        return result;
    }

    @Override
    JsonNode handle(String op, JsonNode m) throws Exception {
        switch (op) {
            case "start":
                props = Wire.stringMap(m.get("props"));
                task.start(props);
                return null;
            case "poll":
                return poll();
            case "commitRecords":
                commitRecords(m.path("acks"));
                return null;
            case "commit":
                ((SourceTask) task).commit();
                return null;
            case "put":
                put(m);
                return null;
            case "preCommit":
                return preCommit(m.path("offsets"));
            case "open": {
                List<TopicPartition> tps = partitions(m.path("partitions"));
                assignment.addAll(tps);
                ((SinkTask) task).open(tps);
                return null;
            }
            case "close": {
                List<TopicPartition> tps = partitions(m.path("partitions"));
                ((SinkTask) task).close(tps);
                tps.forEach(assignment::remove);
                return null;
            }
            default:
                throw new IllegalArgumentException("Unknown task operation " + op);
        }
    }

    @Override
    JsonNode stop() throws Exception {
        if (task != null) {
            try (LoaderSwap swap = host.plugins().withClassLoader(loader)) {
                task.stop();
            }
        }
        return null;
    }

    private JsonNode poll() throws Exception {
        List<SourceRecord> records = ((SourceTask) task).poll();
        ObjectNode result = Channel.object();
        if (records == null) {
            result.putNull("records");
            return result;
        }
        DataCodec.SchemaTable table = new DataCodec.SchemaTable();
        ArrayNode list = Channel.JSON.createArrayNode();
        for (SourceRecord r : records) {
            long rid = nextRecordId.incrementAndGet();
            inFlight.put(rid, r);
            ObjectNode o = list.addObject();
            o.put("rid", rid);
            o.put("t", r.topic());
            if (r.kafkaPartition() != null) o.put("p", r.kafkaPartition());
            o.put("ks", table.id(r.keySchema()));
            o.set("k", DataCodec.encode(r.keySchema(), r.key()));
            o.put("vs", table.id(r.valueSchema()));
            o.set("v", DataCodec.encode(r.valueSchema(), r.value()));
            if (r.timestamp() != null) o.put("ts", r.timestamp());
            if (!r.headers().isEmpty()) o.set("h", Wire.headersJson(r.headers(), table));
            o.put("sp", Wire.offsetJson(r.sourcePartition()));
            o.put("so", Wire.offsetJson(r.sourceOffset()));
        }
        result.set("schemas", table.schemas);
        result.set("records", list);
        return result;
    }

    private void commitRecords(JsonNode acks) throws Exception {
        SourceTask source = (SourceTask) task;
        for (JsonNode a : acks) {
            SourceRecord record = inFlight.remove(a.get(0).asLong());
            if (record == null) continue;
            RecordMetadata metadata = null;
            if (a.size() > 1) {
                long timestamp = a.get(4).isNull() ? -1L : a.get(4).asLong();
                metadata = new RecordMetadata(new TopicPartition(a.get(1).asText(), a.get(2).asInt()), a.get(3).asLong(), 0, timestamp, -1, -1);
            }
            source.commitRecord(record, metadata);
        }
    }

    private void put(JsonNode m) {
        List<Schema> schemas = DataCodec.schemasFrom(m.get("schemas"));
        List<SinkRecord> records = new ArrayList<>();
        for (JsonNode o : m.path("records")) {
            Schema ks = DataCodec.schemaAt(schemas, o.get("ks"));
            Schema vs = DataCodec.schemaAt(schemas, o.get("vs"));
            JsonNode ts = o.get("ts");
            String tt = o.path("tt").asText("NO_TIMESTAMP_TYPE");
            records.add(new SinkRecord(
                    o.get("t").asText(), o.get("p").asInt(),
                    ks, DataCodec.decode(ks, o.get("k")),
                    vs, DataCodec.decode(vs, o.get("v")),
                    o.get("o").asLong(),
                    ts == null || ts.isNull() ? null : ts.asLong(),
                    TimestampType.valueOf(tt),
                    Wire.headersFrom(o.get("h"), schemas),
                    o.path("ot").asText(o.get("t").asText()),
                    o.has("op") ? o.get("op").asInt() : o.get("p").asInt(),
                    o.has("oo") ? o.get("oo").asLong() : o.get("o").asLong()));
        }
        ((SinkTask) task).put(records);
    }

    private JsonNode preCommit(JsonNode offsets) {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        for (JsonNode e : offsets) {
            String metadata = e.size() > 3 && !e.get(3).isNull() ? e.get(3).asText() : "";
            current.put(new TopicPartition(e.get(0).asText(), e.get(1).asInt()), new OffsetAndMetadata(e.get(2).asLong(), metadata));
        }
        Map<TopicPartition, OffsetAndMetadata> committable = ((SinkTask) task).preCommit(current);
        ArrayNode out = Channel.JSON.createArrayNode();
        if (committable != null) {
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committable.entrySet()) {
                out.addArray().add(e.getKey().topic()).add(e.getKey().partition()).add(e.getValue().offset()).add(e.getValue().metadata());
            }
        }
        return out;
    }

    private static List<TopicPartition> partitions(JsonNode a) {
        List<TopicPartition> out = new ArrayList<>();
        for (JsonNode e : a) out.add(new TopicPartition(e.get(0).asText(), e.get(1).asInt()));
        return out;
    }

    private static ArrayNode partitionsJson(Collection<TopicPartition> tps) {
        ArrayNode a = Channel.JSON.createArrayNode();
        for (TopicPartition tp : tps) a.addArray().add(tp.topic()).add(tp.partition());
        return a;
    }

    private final class SourceContext implements SourceTaskContext {
        private final OffsetStorageReader reader = new HostContexts.OffsetReader(host, id);

        @Override
        public Map<String, String> configs() {
            return props;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return reader;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }

    private final class SinkContext implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return props;
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            ObjectNode body = Channel.object();
            ArrayNode a = body.putArray("offsets");
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) a.addArray().add(e.getKey().topic()).add(e.getKey().partition()).add(e.getValue());
            host.event("offset", id, body);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            offset(Map.of(tp, offset));
        }

        @Override
        public void timeout(long timeoutMs) {
            ObjectNode body = Channel.object();
            body.put("ms", timeoutMs);
            host.event("timeout", id, body);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return new LinkedHashSet<>(assignment);
        }

        @Override
        public void pause(TopicPartition... partitions) {
            ObjectNode body = Channel.object();
            body.set("partitions", partitionsJson(List.of(partitions)));
            host.event("pause", id, body);
        }

        @Override
        public void resume(TopicPartition... partitions) {
            ObjectNode body = Channel.object();
            body.set("partitions", partitionsJson(List.of(partitions)));
            host.event("resume", id, body);
        }

        @Override
        public void requestCommit() {
            host.event("requestCommit", id, Channel.object());
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            if (!hasReporter) return null;
            return this::report;
        }

        private Future<Void> report(SinkRecord record, Throwable error) {
            ObjectNode request = Channel.object();
            request.put("op", "report");
            request.put("instance", id);
            request.put("topic", record.originalTopic());
            request.put("partition", record.originalKafkaPartition());
            request.put("offset", record.originalKafkaOffset());
            request.set("error", Wire.error(error));
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                host.channel().call(request);
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
            return done;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
