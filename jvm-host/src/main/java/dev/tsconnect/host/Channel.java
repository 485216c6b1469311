package dev.tsconnect.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The framed protocol: each frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 *
 * Three kinds of message: a request {"id", "op", ...}; its response {"re": id, "ok", "result" | "error"}; an
 * event {"event", ...} that needs no answer. Both sides send requests (the host asks the worker for committed
 * source offsets), each with its own id space; a response always answers the other side's request.
 */
final class Channel {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_FRAME = 256 * 1024 * 1024;

    private final OutputStream out;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    Channel(OutputStream out) {
        this.out = out;
    }

    /** Reads the next frame; null at the end of the stream. */
    static JsonNode read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) throw new IOException("Frame length out of range: " + length);
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return JSON.readTree(bytes);
    }

    /** Writes one frame; frames from different threads never interleave. */
    void send(JsonNode message) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(message);
            synchronized (out) {
                out.write(bytes.length >>> 24);
                out.write(bytes.length >>> 16);
                out.write(bytes.length >>> 8);
                out.write(bytes.length);
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // The worker is gone; the reading loop sees the end of stdin and exits.
            System.err.println("@@ERROR dev.tsconnect.host.Channel could not write a frame: " + e);
        }
    }

    /** Sends a request to the worker and waits for its answer (the result node); the worker's error is thrown. */
    JsonNode call(ObjectNode request) throws Exception {
        long id = nextId.incrementAndGet();
        request.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            send(request);
            JsonNode response = answer.get();
            if (!response.path("ok").asBoolean()) {
                throw new org.apache.kafka.connect.errors.ConnectException(response.path("error").path("message").asText());
            }
            return response.path("result");
        } finally {
            pending.remove(id);
        }
    }

    /** Completes the request a response answers. */
    void answered(JsonNode response) {
        CompletableFuture<JsonNode> f = pending.get(response.path("re").asLong());
        if (f != null) f.complete(response);
    }

    /** Fails every request still waiting (the worker is gone). */
    void closeAll() {
        for (CompletableFuture<JsonNode> f : pending.values()) f.completeExceptionally(new IOException("The worker closed the channel"));
    }

    /** A new empty object node. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
