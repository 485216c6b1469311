package dev.tsconnect.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkConnectorContext;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceConnectorContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contexts hosted plugins get: what they ask of the worker travels as an event (requestTaskReconfiguration,
 * raiseError) or, for committed offsets, as a request to the worker, which reads its offset store.
 *
 * pluginMetrics() is null: the host has no metrics registry (docs/java-plugins.md lists this).
 */
final class HostContexts {
    private HostContexts() {
    }

    /** The offset storage reader: asks the worker, which reads the offsets topic as Java's reader does. */
    static final class OffsetReader implements OffsetStorageReader {
        private final Host host;
        private final long instance;

        OffsetReader(Host host, long instance) {
            this.host = host;
            this.instance = instance;
        }

        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
            return offsets(java.util.List.of(partition)).get(partition);
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
            ObjectNode request = Channel.object();
            request.put("op", "offsets");
            request.put("instance", instance);
            ArrayNode list = request.putArray("partitions");
            Map<String, Map<String, T>> byJson = new LinkedHashMap<>();
            for (Map<String, T> p : partitions) {
                String json = Wire.offsetJson(p);
                byJson.put(json, p);
                list.add(json);
            }
            Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
            try {
                JsonNode answer = host.channel().call(request);
                for (JsonNode entry : answer) {
                    Map<String, T> p = byJson.get(entry.get(0).asText());
                    if (p != null && !entry.get(1).isNull()) out.put(p, Wire.offsetMap(entry.get(1)));
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new org.apache.kafka.connect.errors.ConnectException("Failed to fetch offsets.", e);
            }
            return out;
        }
    }

    /** A connector's context; source() or sink() as the connector's kind needs. */
    static final class Connector implements ConnectorContext {
        private final Host host;
        private final long instance;

        Connector(Host host, long instance) {
            this.host = host;
            this.instance = instance;
        }

        @Override
        public void requestTaskReconfiguration() {
            host.event("requestTaskReconfiguration", instance, Channel.object());
        }

        @Override
        public void raiseError(Exception e) {
            ObjectNode body = Channel.object();
            body.set("error", Wire.error(e));
            host.event("raiseError", instance, body);
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }

        SourceConnectorContext source() {
            OffsetReader reader = new OffsetReader(host, instance);
            Connector self = this;
            return new SourceConnectorContext() {
                @Override
                public OffsetStorageReader offsetStorageReader() {
                    return reader;
                }

                @Override
                public void requestTaskReconfiguration() {
                    self.requestTaskReconfiguration();
                }

                @Override
                public void raiseError(Exception e) {
                    self.raiseError(e);
                }

                @Override
                public PluginMetrics pluginMetrics() {
                    return null;
                }
            };
        }

        SinkConnectorContext sink() {
            Connector self = this;
            return new SinkConnectorContext() {
                @Override
                public void requestTaskReconfiguration() {
                    self.requestTaskReconfiguration();
                }

                @Override
                public void raiseError(Exception e) {
                    self.raiseError(e);
                }

                @Override
                public PluginMetrics pluginMetrics() {
                    return null;
                }
            };
        }
    }

    /** SourceConnector/SinkConnector.alterOffsets with the offsets the worker sent. */
    static boolean alterOffsets(org.apache.kafka.connect.connector.Connector connector, JsonNode m) {
        Map<String, String> config = Wire.stringMap(m.get("config"));
        if (connector instanceof SourceConnector) {
            Map<Map<String, ?>, Map<String, ?>> offsets = new LinkedHashMap<>();
            for (JsonNode e : m.path("offsets")) offsets.put(Wire.offsetMap(e.get(0)), Wire.offsetMap(e.get(1)));
            return ((SourceConnector) connector).alterOffsets(config, offsets);
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (JsonNode e : m.path("offsets")) {
            offsets.put(new TopicPartition(e.get(0).asText(), e.get(1).asInt()), e.get(2).isNull() ? null : e.get(2).asLong());
        }
        return ((SinkConnector) connector).alterOffsets(config, offsets);
    }
}
