package dev.tsconnect.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small translations between the protocol's JSON and Java values: string maps, errors, headers, configs, offsets. */
final class Wire {
    private static final JsonConverter OFFSETS = new JsonConverter();

    static {
        // Java Connect's internal converter for the offsets topic: JsonConverter without schemas.
        OFFSETS.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
    }

    private Wire() {
    }

    static Map<String, String> stringMap(JsonNode o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o == null) return out;
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return out;
    }

    static ObjectNode stringMapJson(Map<String, String> map) {
        ObjectNode o = Channel.object();
        for (Map.Entry<String, String> e : map.entrySet()) o.put(e.getKey(), e.getValue());
        return o;
    }

    /** The error as the worker shows it: Java's class, message and stack trace (Connect's status "trace"). */
    static ObjectNode error(Throwable t) {
        ObjectNode o = Channel.object();
        o.put("class", t.getClass().getName());
        o.put("message", t.getMessage() == null ? t.toString() : t.getMessage());
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        o.put("trace", w.toString());
        o.put("retriable", t instanceof org.apache.kafka.connect.errors.RetriableException);
        return o;
    }

    /** A source partition or offset as the exact JSON text Java Connect writes to the offsets topic. */
    static String offsetJson(Map<String, ?> map) {
        if (map == null) return null;
        return new String(OFFSETS.fromConnectData("", null, map), StandardCharsets.UTF_8);
    }

    /** A source partition or offset read back as Java Connect's offset reader gives it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> offsetMap(JsonNode text) {
        if (text == null || text.isNull()) return null;
        Object v = OFFSETS.toConnectData("", text.asText().getBytes(StandardCharsets.UTF_8)).value();
        return (Map<String, Object>) v;
    }

    static ArrayNode headersJson(Headers headers, DataCodec.SchemaTable table) {
        ArrayNode a = Channel.JSON.createArrayNode();
        for (Header h : headers) {
            a.addArray().add(h.key()).add(table.id(h.schema())).add(DataCodec.encode(h.schema(), h.value()));
        }
        return a;
    }

    static ConnectHeaders headersFrom(JsonNode a, List<Schema> schemas) {
        ConnectHeaders headers = new ConnectHeaders();
        if (a == null) return headers;
        for (JsonNode h : a) {
            Schema s = DataCodec.schemaAt(schemas, h.get(1));
            headers.add(h.get(0).asText(), DataCodec.decode(s, h.get(2)), s);
        }
        return headers;
    }

    /** One ConfigDef key, as src/jvm/java-config.ts rebuilds it. */
    static ObjectNode configKey(ConfigDef.ConfigKey k) {
        ObjectNode o = Channel.object();
        o.put("name", k.name);
        o.put("type", k.type.name());
        if (k.hasDefault()) o.put("default", ConfigDef.convertToString(k.defaultValue, k.type));
        o.put("required", !k.hasDefault());
        o.put("importance", k.importance == null ? "LOW" : k.importance.name());
        o.put("documentation", k.documentation);
        o.put("group", k.group);
        o.put("orderInGroup", k.orderInGroup);
        o.put("width", k.width == null ? "NONE" : k.width.name());
        o.put("displayName", k.displayName);
        ArrayNode deps = o.putArray("dependents");
        for (String d : k.dependents) deps.add(d);
        o.put("internal", k.internalConfig);
        return o;
    }

    static ArrayNode configDef(ConfigDef def) {
        ArrayNode a = Channel.JSON.createArrayNode();
        if (def == null) return a;
        for (ConfigDef.ConfigKey k : def.configKeys().values()) a.add(configKey(k));
        return a;
    }

    /** One validated value: its parsed value (lists as arrays, passwords hidden), recommendations, errors. */
    static ObjectNode configValue(ConfigValue v) {
        ObjectNode o = Channel.object();
        o.put("name", v.name());
        o.set("value", plain(v.value()));
        ArrayNode rec = o.putArray("recommended");
        for (Object r : v.recommendedValues()) rec.add(plain(r));
        ArrayNode errors = o.putArray("errors");
        for (String m : v.errorMessages()) errors.add(m);
        o.put("visible", v.visible());
        return o;
    }

    private static JsonNode plain(Object v) {
        if (v == null) return Channel.JSON.nullNode();
        if (v instanceof Password) return Channel.JSON.getNodeFactory().textNode(Password.HIDDEN);
        if (v instanceof Boolean) return Channel.JSON.getNodeFactory().booleanNode((Boolean) v);
        if (v instanceof Number) return Channel.JSON.getNodeFactory().numberNode(((Number) v).doubleValue());
        if (v instanceof Class) return Channel.JSON.getNodeFactory().textNode(((Class<?>) v).getName());
        if (v instanceof List) {
            ArrayNode a = Channel.JSON.createArrayNode();
            for (Object item : (List<?>) v) a.add(String.valueOf(item));
            return a;
        }
        return Channel.JSON.getNodeFactory().textNode(String.valueOf(v));
    }

}
