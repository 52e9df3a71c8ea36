package io.jobstream.test.openai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} and {@code POST /v1/chat/completions} on a free
 * loopback port, answering with the real API's JSON shapes. By default it embeds every input with
 * {@link #vectorFor}; queued {@link Reply replies} (errors, delays) are used first, one per request.
 * Data items come back in reverse order: the API orders by {@code index}, and clients must too.
 * Chat has its own reply queue ({@link #enqueueChat}: scripted tool calls, answers, errors, delays);
 * without one it answers {@link #echo} of the conversation, after {@link #chatLatency} if set.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** A scripted answer: status, headers and body, after an optional delay. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {

        public static Reply error(int status, String type, String message, Map<String, String> headers) {
            String body = """
                    {"error": {"message": "%s", "type": "%s", "param": null, "code": null}}""".formatted(message, type);
            return new Reply(status, headers, body, Duration.ZERO);
        }

        public static Reply slow(Duration delay) {
            return new Reply(0, Map.of(), null, delay);
        }

        /** A chat completion whose assistant message asks for one function call. */
        public static Reply toolCall(String callId, String function, String argumentsJson) {
            ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject().put("id", callId).put("type", "function");
            call.putObject("function").put("name", function).put("arguments", argumentsJson);
            return new Reply(200, Map.of(), JSON.writeValueAsString(completion(message, "tool_calls")), Duration.ZERO);
        }

        /** A chat completion answering {@code content}. */
        public static Reply answer(String content) {
            ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", content);
            return new Reply(200, Map.of(), JSON.writeValueAsString(completion(message, "stop")), Duration.ZERO);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final int dimensions;
    private final boolean honoursEncodingFormat;
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Reply> chatReplies = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> chatRequests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> chatAuthorizations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Reply> chatRules = new ConcurrentHashMap<>();
    private final AtomicInteger chatsInFlight = new AtomicInteger();
    private final AtomicInteger maxChatsInFlight = new AtomicInteger();
    private volatile Duration chatLatency = Duration.ZERO;
    private volatile boolean recording = true;
    private volatile Outage outage = Outage.NONE;
    private final AtomicInteger outageAnswers = new AtomicInteger();

    /** Until {@code until} (System.nanoTime), every request gets the next of {@code replies}, in turn. */
    private record Outage(long until, List<Reply> replies) {
        static final Outage NONE = new Outage(Long.MIN_VALUE, List.of());

        boolean active() {
            return !replies.isEmpty() && System.nanoTime() - until < 0;
        }
    }

    /**
     * @param dimensions            vector length when a request does not ask for one
     * @param honoursEncodingFormat false: floats whatever the request asks, as some compatible servers do
     */
    public FakeOpenAiServer(int dimensions, boolean honoursEncodingFormat) {
        this.dimensions = dimensions;
        this.honoursEncodingFormat = honoursEncodingFormat;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/embeddings", this::handle);
        server.createContext("/v1/chat/completions", this::handleChat);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void enqueue(Reply reply) {
        replies.add(reply);
    }

    /** The next chat request is answered with {@code reply} (scripted replies are used in order). */
    public void enqueueChat(Reply reply) {
        chatReplies.add(reply);
    }

    /**
     * Every chat request that ends with a user message containing {@code text} gets {@code reply},
     * before any queued reply: deterministic answers for one job among many running concurrently.
     * A follow-up request carrying tool results ends with a tool message, so the rule does not apply to it.
     */
    public void replyWhenAsked(String text, Reply reply) {
        chatRules.put(text, reply);
    }

    /**
     * For {@code duration} from now, every embeddings and chat request is answered with {@code replies} in
     * turn (e.g. a 429 with Retry-After, then a 500), before any rule or queued reply: a provider outage
     * that starts and ends by the clock, whatever the request rate.
     */
    public void outage(Duration duration, List<Reply> replies) {
        outage = new Outage(System.nanoTime() + duration.toNanos(), List.copyOf(replies));
    }

    /** How many requests an {@link #outage} answered. */
    public int outageAnswers() {
        return outageAnswers.get();
    }

    /** The most chat requests this server was answering at the same time. */
    public int maxChatsInFlight() {
        return maxChatsInFlight.get();
    }

    /**
     * Whether request bodies and chat authorizations are kept for {@link #requests()},
     * {@link #chatRequests()} and {@link #chatAuthorizations()} (on by default). A benchmark sending
     * hundreds of thousands of requests turns it off: kept, they fill the heap the system under test
     * shares with this server.
     */
    public void recordRequests(boolean on) {
        this.recording = on;
    }

    /** Every unscripted chat answer waits this long first, as a real model does. */
    public void chatLatency(Duration latency) {
        this.chatLatency = latency;
    }

    /** Every chat request body received, in arrival order. */
    public List<JsonNode> chatRequests() {
        synchronized (chatRequests) {
            return List.copyOf(chatRequests);
        }
    }

    /** Every chat request's {@code Authorization} header (null when absent), in arrival order. */
    public List<String> chatAuthorizations() {
        synchronized (chatAuthorizations) {
            return new ArrayList<>(chatAuthorizations);
        }
    }

    /**
     * The unscripted chat answer: the last user message and how many messages came before it,
     * e.g. {@code echo: Tell me more (after 3 messages)}. Tests see from it what the model was sent.
     */
    public static String echo(String lastUserMessage, int earlierMessages) {
        return "echo: " + lastUserMessage + " (after " + earlierMessages + " messages)";
    }

    /** Every request body received, in arrival order. */
    public List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The unit vector this server returns for {@code text}: deterministic, different per text. */
    public static float[] vectorFor(String text, int dimensions) {
        float[] vector = new float[dimensions];
        double squares = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) Math.sin(text.hashCode() * 0.001 + i * 0.37 + text.length());
            squares += vector[i] * vector[i];
        }
        float norm = (float) Math.sqrt(squares);
        for (int i = 0; i < dimensions; i++) {
            vector[i] /= norm;
        }
        return vector;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (recording) {
                requests.add(request);
            }
            if (answeredByOutage(exchange)) {
                return;
            }
            Reply reply = replies.poll();
            if (reply != null && !reply.delay().isZero()) {
                sleep(reply.delay());
            }
            if (reply != null && reply.status() != 0) {
                reply.headers().forEach(exchange.getResponseHeaders()::add);
                send(exchange, reply.status(), reply.body());
                return;
            }
            send(exchange, 200, JSON.writeValueAsString(embeddings(request)));
        }
    }

    private void handleChat(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (recording) {
                chatRequests.add(request);
                chatAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            }
            if (answeredByOutage(exchange)) {
                return;
            }
            maxChatsInFlight.accumulateAndGet(chatsInFlight.incrementAndGet(), Math::max);
            try {
                answerChat(exchange, request);
            } finally {
                chatsInFlight.decrementAndGet();
            }
        }
    }

    private void answerChat(HttpExchange exchange, JsonNode request) throws IOException {
        JsonNode messages = request.path("messages");
        boolean endsWithUser = !messages.isEmpty() && "user".equals(messages.get(messages.size() - 1).path("role").asString());
        String lastUser = lastUserMessage(request);
        Reply reply = chatRules.entrySet().stream().filter(rule -> endsWithUser && lastUser.contains(rule.getKey()))
                .map(Map.Entry::getValue).findFirst().orElseGet(chatReplies::poll);
        if (reply == null) {
            sleep(chatLatency);
            send(exchange, 200, JSON.writeValueAsString(echoCompletion(request)));
            return;
        }
        sleep(reply.delay());
        if (reply.status() == 0) {
            send(exchange, 200, JSON.writeValueAsString(echoCompletion(request)));
            return;
        }
        reply.headers().forEach(exchange.getResponseHeaders()::add);
        send(exchange, reply.status(), reply.body());
    }

    private boolean answeredByOutage(HttpExchange exchange) throws IOException {
        Outage current = outage;
        if (!current.active()) {
            return false;
        }
        Reply reply = current.replies().get(Math.floorMod(outageAnswers.getAndIncrement(), current.replies().size()));
        reply.headers().forEach(exchange.getResponseHeaders()::add);
        send(exchange, reply.status(), reply.body());
        return true;
    }

    private static String lastUserMessage(JsonNode request) {
        String lastUser = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asString())) {
                lastUser = text(message.path("content"));
            }
        }
        return lastUser;
    }

    /** A message's text: its content string, or its text parts joined when the content is a list of parts (images beside text). */
    private static String text(JsonNode content) {
        if (!content.isArray()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString())) {
                text.append(part.path("text").asString());
            }
        }
        return text.toString();
    }

    private static ObjectNode echoCompletion(JsonNode request) {
        JsonNode messages = request.path("messages");
        int lastUserIndex = 0;
        for (int i = 0; i < messages.size(); i++) {
            if ("user".equals(messages.get(i).path("role").asString())) {
                lastUserIndex = i;
            }
        }
        ObjectNode message = JSON.createObjectNode().put("role", "assistant")
                .put("content", echo(lastUserMessage(request), lastUserIndex));
        return completion(message, "stop");
    }

    private static ObjectNode completion(ObjectNode message, String finishReason) {
        ObjectNode completion = JSON.createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", "fake-chat-model");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", finishReason);
        choice.set("message", message);
        choice.putNull("logprobs");
        completion.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return completion;
    }

    private ObjectNode embeddings(JsonNode request) {
        int length = request.has("dimensions") ? request.get("dimensions").asInt() : dimensions;
        boolean base64 = honoursEncodingFormat && "base64".equals(request.path("encoding_format").asString());
        JsonNode input = request.get("input");
        List<String> texts = new ArrayList<>();
        input.forEach(text -> texts.add(text.asString()));

        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int index = texts.size() - 1; index >= 0; index--) {
            float[] vector = vectorFor(texts.get(index), length);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", index);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            tokens += texts.get(index).split("\\s+").length;
        }
        response.put("model", request.get("model").asString());
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return response;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
