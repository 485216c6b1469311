package dev.tsconnect.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connect schemas and values as JSON, losslessly; src/jvm/data-codec.ts is the other half and documents the format.
 *
 * A schema is {"t": type, "o": optional, "n", "ver", "doc", "p", "d": default, "f": [[name, schema]...], "k", "v"}.
 * A value with a schema: int8/16/32 and float numbers, int64 as a decimal string, bytes as base64, a struct as the
 * array of its field values, a map as an array of [key, value] pairs; logical types travel as their physical
 * values. NaN and the infinities are the strings "NaN", "Infinity", "-Infinity". A value without a schema is
 * tagged: null, booleans and strings are themselves, anything else is {"$": tag, "v": value}.
 *
 * Within one batch, schemas are sent once each: a record names its schemas by index into the batch's "schemas".
 */
final class DataCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DataCodec() {
    }

    /** Numbers schemas by identity for one batch. */
    static final class SchemaTable {
        private final Map<Schema, Integer> ids = new IdentityHashMap<>();
        final ArrayNode schemas = F.arrayNode();

        int id(Schema schema) {
            if (schema == null) return -1;
            Integer id = ids.get(schema);
            if (id == null) {
                id = schemas.size();
                ids.put(schema, id);
                schemas.add(schemaToJson(schema));
            }
            return id;
        }
    }

    /** The schemas of a batch the worker sent, by index. */
    static List<Schema> schemasFrom(JsonNode array) {
        List<Schema> out = new ArrayList<>();
        if (array != null) for (JsonNode s : array) out.add(schemaFromJson(s));
        return out;
    }

    static Schema schemaAt(List<Schema> schemas, JsonNode index) {
        int i = index == null || index.isNull() ? -1 : index.asInt();
        return i < 0 ? null : schemas.get(i);
    }

    static JsonNode schemaToJson(Schema s) {
        if (s == null) return NullNode.instance;
        ObjectNode o = F.objectNode();
        o.put("t", s.type().getName());
        if (s.isOptional()) o.put("o", true);
        if (s.name() != null) o.put("n", s.name());
        if (s.version() != null) o.put("ver", s.version());
        if (s.doc() != null) o.put("doc", s.doc());
        if (s.parameters() != null) {
            ObjectNode p = o.putObject("p");
            for (Map.Entry<String, String> e : s.parameters().entrySet()) p.put(e.getKey(), e.getValue());
        }
        switch (s.type()) {
            case STRUCT:
                ArrayNode fields = o.putArray("f");
                for (Field f : s.fields()) fields.addArray().add(f.name()).add(schemaToJson(f.schema()));
                break;
            case MAP:
                o.set("k", schemaToJson(s.keySchema()));
                o.set("v", schemaToJson(s.valueSchema()));
                break;
            case ARRAY:
                o.set("v", schemaToJson(s.valueSchema()));
                break;
            default:
                break;
        }
        if (s.defaultValue() != null) o.set("d", encode(s, s.defaultValue()));
        return o;
    }

    static Schema schemaFromJson(JsonNode o) {
        if (o == null || o.isNull()) return null;
        Schema.Type type = Schema.Type.valueOf(o.path("t").asText().toUpperCase(java.util.Locale.ROOT));
        SchemaBuilder b;
        switch (type) {
            case STRUCT:
                b = SchemaBuilder.struct();
                for (JsonNode f : o.path("f")) b.field(f.get(0).asText(), schemaFromJson(f.get(1)));
                break;
            case MAP:
                b = SchemaBuilder.map(schemaFromJson(o.get("k")), schemaFromJson(o.get("v")));
                break;
            case ARRAY:
                b = SchemaBuilder.array(schemaFromJson(o.get("v")));
                break;
            default:
                b = SchemaBuilder.type(type);
        }
        if (o.path("o").asBoolean(false)) b.optional();
        if (o.has("n")) b.name(o.get("n").asText());
        if (o.has("ver")) b.version(o.get("ver").asInt());
        if (o.has("doc")) b.doc(o.get("doc").asText());
        if (o.has("p")) {
            Iterator<Map.Entry<String, JsonNode>> it = o.get("p").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                b.parameter(e.getKey(), e.getValue().asText());
            }
        }
        if (o.has("d")) {
            // The default is checked against the finished schema, so decode it with a copy that has none yet.
            Schema plain = b.build();
            b.defaultValue(decode(plain, o.get("d")));
        }
        return b.build();
    }

    private static JsonNode number(double d) {
        if (Double.isNaN(d)) return F.textNode("NaN");
        if (Double.isInfinite(d)) return F.textNode(d > 0 ? "Infinity" : "-Infinity");
        return F.numberNode(d);
    }

    private static double toDouble(JsonNode n) {
        if (n.isTextual()) return Double.parseDouble(n.asText());
        return n.asDouble();
    }

    private static byte[] bytesOf(Object v) {
        if (v instanceof byte[]) return (byte[]) v;
        if (v instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
        throw new DataException("Not bytes: " + v.getClass().getName());
    }

    /** A value with its schema (see the class comment). */
    static JsonNode encode(Schema s, Object v) {
        if (v == null) return NullNode.instance;
        if (s == null) return encodeAny(v);
        String logical = s.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME:
                    if (v instanceof BigDecimal) return F.textNode(Base64.getEncoder().encodeToString(Decimal.fromLogical(s, (BigDecimal) v)));
                    break;
                case Date.LOGICAL_NAME:
                    if (v instanceof java.util.Date) return F.numberNode(Date.fromLogical(s, (java.util.Date) v));
                    break;
                case Time.LOGICAL_NAME:
                    if (v instanceof java.util.Date) return F.numberNode(Time.fromLogical(s, (java.util.Date) v));
                    break;
                case Timestamp.LOGICAL_NAME:
                    if (v instanceof java.util.Date) return F.textNode(Long.toString(Timestamp.fromLogical(s, (java.util.Date) v)));
                    break;
                default:
                    break;
            }
        }
        switch (s.type()) {
            case INT8:
            case INT16:
            case INT32:
                return F.numberNode(((Number) v).intValue());
            case INT64:
                return F.textNode(Long.toString(((Number) v).longValue()));
            case FLOAT32:
                return number(((Number) v).floatValue());
            case FLOAT64:
                return number(((Number) v).doubleValue());
            case BOOLEAN:
                return F.booleanNode((Boolean) v);
            case STRING:
                return F.textNode((String) v);
            case BYTES:
                return F.textNode(Base64.getEncoder().encodeToString(bytesOf(v)));
            case ARRAY: {
                ArrayNode a = F.arrayNode();
                for (Object item : (List<?>) v) a.add(encode(s.valueSchema(), item));
                return a;
            }
            case MAP: {
                ArrayNode a = F.arrayNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    a.addArray().add(encode(s.keySchema(), e.getKey())).add(encode(s.valueSchema(), e.getValue()));
                }
                return a;
            }
            case STRUCT: {
                Struct struct = (Struct) v;
                ArrayNode a = F.arrayNode();
                for (Field f : s.fields()) a.add(encode(f.schema(), struct.getWithoutDefault(f.name())));
                return a;
            }
            default:
                throw new DataException("Unknown schema type " + s.type());
        }
    }

    /** A value the worker encoded with its schema. */
    static Object decode(Schema s, JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (s == null) return decodeAny(n);
        Object physical;
        switch (s.type()) {
            case INT8:
                physical = (byte) n.asInt();
                break;
            case INT16:
                physical = (short) n.asInt();
                break;
            case INT32:
                physical = n.asInt();
                break;
            case INT64:
                physical = n.isTextual() ? Long.parseLong(n.asText()) : n.asLong();
                break;
            case FLOAT32:
                physical = (float) toDouble(n);
                break;
            case FLOAT64:
                physical = toDouble(n);
                break;
            case BOOLEAN:
                physical = n.asBoolean();
                break;
            case STRING:
                physical = n.asText();
                break;
            case BYTES:
                physical = Base64.getDecoder().decode(n.asText());
                break;
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonNode item : n) list.add(decode(s.valueSchema(), item));
                return list;
            }
            case MAP: {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode e : n) map.put(decode(s.keySchema(), e.get(0)), decode(s.valueSchema(), e.get(1)));
                return map;
            }
            case STRUCT: {
                Struct struct = new Struct(s);
                int i = 0;
                for (Field f : s.fields()) struct.put(f, decode(f.schema(), n.get(i++)));
                return struct;
            }
            default:
                throw new DataException("Unknown schema type " + s.type());
        }
        String logical = s.name();
        if (logical == null) return physical;
        switch (logical) {
            case Decimal.LOGICAL_NAME:
                return Decimal.toLogical(s, (byte[]) physical);
            case Date.LOGICAL_NAME:
                return Date.toLogical(s, (Integer) physical);
            case Time.LOGICAL_NAME:
                return Time.toLogical(s, (Integer) physical);
            case Timestamp.LOGICAL_NAME:
                return Timestamp.toLogical(s, (Long) physical);
            default:
                return physical;
        }
    }

    private static ObjectNode tagged(String tag, JsonNode value) {
        ObjectNode o = F.objectNode();
        o.put("$", tag);
        o.set("v", value);
        return o;
    }

    /** A value without a schema, tagged with its Java type. */
    static JsonNode encodeAny(Object v) {
        if (v == null) return NullNode.instance;
        if (v instanceof String) return F.textNode((String) v);
        if (v instanceof Boolean) return F.booleanNode((Boolean) v);
        if (v instanceof Byte) return tagged("int8", F.numberNode((Byte) v));
        if (v instanceof Short) return tagged("int16", F.numberNode((Short) v));
        if (v instanceof Integer) return tagged("int32", F.numberNode((Integer) v));
        if (v instanceof Long) return tagged("int64", F.textNode(v.toString()));
        if (v instanceof Float) return tagged("float32", number((Float) v));
        if (v instanceof Double) return tagged("float64", number((Double) v));
        if (v instanceof byte[] || v instanceof ByteBuffer) return tagged("bytes", F.textNode(Base64.getEncoder().encodeToString(bytesOf(v))));
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            ObjectNode o = tagged("decimal", F.textNode(d.unscaledValue().toString()));
            o.put("scale", d.scale());
            return o;
        }
        if (v instanceof java.util.Date) return tagged("timestamp", F.textNode(Long.toString(((java.util.Date) v).getTime())));
        if (v instanceof List) {
            ArrayNode a = F.arrayNode();
            for (Object item : (List<?>) v) a.add(encodeAny(item));
            return tagged("array", a);
        }
        if (v instanceof Map) {
            ArrayNode a = F.arrayNode();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) a.addArray().add(encodeAny(e.getKey())).add(encodeAny(e.getValue()));
            return tagged("map", a);
        }
        if (v instanceof Struct) {
            Struct s = (Struct) v;
            ObjectNode o = tagged("struct", encode(s.schema(), s));
            o.set("s", schemaToJson(s.schema()));
            return o;
        }
        throw new DataException("A value of class " + v.getClass().getName() + " has no Connect type");
    }

    /** A tagged value without a schema. */
    static Object decodeAny(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (!n.isObject() || !n.has("$")) throw new DataException("Not a tagged value: " + n);
        JsonNode v = n.get("v");
        switch (n.get("$").asText()) {
            case "int8": return (byte) v.asInt();
            case "int16": return (short) v.asInt();
            case "int32": return v.asInt();
            case "int64": return v.isTextual() ? Long.parseLong(v.asText()) : v.asLong();
            case "float32": return (float) toDouble(v);
            case "float64": return toDouble(v);
            case "bytes": return Base64.getDecoder().decode(v.asText());
            case "decimal": return new BigDecimal(new BigInteger(v.asText()), n.get("scale").asInt());
            case "timestamp": return new java.util.Date(Long.parseLong(v.asText()));
            case "array": {
                List<Object> list = new ArrayList<>();
                for (JsonNode item : v) list.add(decodeAny(item));
                return list;
            }
            case "map": {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode e : v) map.put(decodeAny(e.get(0)), decodeAny(e.get(1)));
                return map;
            }
            case "struct": return decode(schemaFromJson(n.get("s")), v);
            default: throw new DataException("Unknown value tag " + n.get("$"));
        }
    }

}
