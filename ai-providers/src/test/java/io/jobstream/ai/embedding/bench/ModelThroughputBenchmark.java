package io.jobstream.ai.embedding.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.LocalMiniLmEmbeddings;

/**
 * Texts per second of the local MiniLM model on this machine: 5,000 generated sentences like the
 * seeds' workloads (social posts, product descriptions, taste profiles, documentation chunks),
 * embedded in batches of 32 by langchain4j's bundled class (library defaults), by
 * {@link LocalMiniLmEmbeddings} at parallelism 1 and 2, and through {@link EmbeddingBatcher} by 64
 * concurrent single-text callers. Each configuration is warmed up, then timed over all texts; the
 * whole set runs twice, interleaved, so a noisy neighbour shows up as a spread, not a bias. CPU
 * milliseconds per text (this process's CPU time) are printed too: on a shared machine they stay
 * honest when texts/s drop because other processes take the cores.
 * Not a unit test; run on demand:
 *
 * <pre>
 * ./mvnw -pl ai-providers test-compile exec:exec@benchmark
 * </pre>
 *
 * or, with the test classpath in {@code $CP}:
 * {@code java --enable-native-access=ALL-UNNAMED -DDJL_CACHE_DIR=target/djl-cache -cp $CP
 * io.jobstream.ai.embedding.bench.ModelThroughputBenchmark [texts] [rounds]}.
 */
public final class ModelThroughputBenchmark {

    private static final int BATCH = 32;
    private static final int WARM_UP = 256;
    private static final int CONCURRENT_CALLERS = 64;

    private ModelThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> texts = Sentences.generate(count, new Random(42));
        System.out.printf(Locale.ROOT, "%d texts, %.1f words on average, batches of %d, %d cores%n", count,
                texts.stream().mapToInt(t -> t.split("\\s+").length).average().orElse(0), BATCH,
                Runtime.getRuntime().availableProcessors());

        AllMiniLmL6V2QuantizedEmbeddingModel library = new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (LocalMiniLmEmbeddings one = new LocalMiniLmEmbeddings(1);
             LocalMiniLmEmbeddings two = new LocalMiniLmEmbeddings(2)) {
            for (int round = 1; round <= rounds; round++) {
                System.out.printf(Locale.ROOT, "round %d%n", round);
                measure("langchain4j AllMiniLmL6V2QuantizedEmbeddingModel (defaults)", texts, batch -> library
                        .embedAll(batch.stream().map(TextSegment::from).toList()).content().size());
                measure("LocalMiniLmEmbeddings parallelism=1", texts, batch -> one.embed(batch).size());
                measure("LocalMiniLmEmbeddings parallelism=2", texts, batch -> two.embed(batch).size());
                measureBatcher(two, texts);
            }
        }
    }

    private static void measure(String name, List<String> texts, Function<List<String>, Integer> embedBatch) {
        embedBatches(texts.subList(0, Math.min(WARM_UP, texts.size())), embedBatch);
        Clock clock = Clock.start();
        int embedded = embedBatches(texts, embedBatch);
        clock.report(name, embedded);
    }

    private static int embedBatches(List<String> texts, Function<List<String>, Integer> embedBatch) {
        int embedded = 0;
        for (int from = 0; from < texts.size(); from += BATCH) {
            embedded += embedBatch.apply(texts.subList(from, Math.min(texts.size(), from + BATCH)));
        }
        return embedded;
    }

    /** Single-text callers on virtual threads, as jobs call it; the batcher groups them. */
    private static void measureBatcher(LocalMiniLmEmbeddings model, List<String> texts) throws Exception {
        EmbeddingProperties.Batch settings = new EmbeddingProperties.Batch(BATCH, Duration.ofMillis(20), 256);
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, settings)) {
            callConcurrently(batcher, texts.subList(0, Math.min(WARM_UP, texts.size())));
            Clock clock = Clock.start();
            int embedded = callConcurrently(batcher, texts);
            clock.report("EmbeddingBatcher(" + CONCURRENT_CALLERS + " callers) over parallelism=2", embedded);
        }
    }

    private static int callConcurrently(EmbeddingBatcher batcher, List<String> texts) throws Exception {
        List<Future<Integer>> callers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < CONCURRENT_CALLERS; caller++) {
                int first = caller;
                callers.add(threads.submit(() -> {
                    int embedded = 0;
                    for (int i = first; i < texts.size(); i += CONCURRENT_CALLERS) {
                        embedded += batcher.embed(texts.get(i)).length > 0 ? 1 : 0;
                    }
                    return embedded;
                }));
            }
            int embedded = 0;
            for (Future<Integer> caller : callers) {
                embedded += caller.get();
            }
            return embedded;
        }
    }

    /** Wall-clock and process CPU time since {@link #start()}. */
    private record Clock(long wallNanos, long cpuNanos) {

        static Clock start() {
            return new Clock(System.nanoTime(), processCpuNanos());
        }

        void report(String name, int texts) {
            double seconds = (System.nanoTime() - wallNanos) / 1e9;
            double cpuMillisPerText = (processCpuNanos() - cpuNanos) / 1e6 / texts;
            System.out.printf(Locale.ROOT, "  %-62s %6d texts in %6.2f s = %5.0f texts/s, %.2f CPU ms/text%n",
                    name, texts, seconds, texts / seconds, cpuMillisPerText);
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** Sentences in the style of the seeds' content: posts, products, profiles, docs. */
    static final class Sentences {

        private static final String[] COMPANIES = {"a fintech startup", "a large e-commerce company", "a cloud provider",
                "a game studio", "a logistics platform", "a healthcare SaaS", "a social media app", "a bank"};
        private static final String[] ROLES = {"backend engineer", "data scientist", "frontend developer",
                "site reliability engineer", "machine learning engineer", "product manager", "mobile developer"};
        private static final String[] TOPICS = {"designing a rate limiter", "a sliding window problem on arrays",
                "scaling a message queue", "LRU cache implementation", "graph traversal with BFS",
                "database indexing strategies", "consistent hashing", "retry with exponential backoff",
                "a behavioural question about conflict in a team", "system design of a news feed"};
        private static final String[] PRODUCTS = {"stoneware mug", "merino wool sweater", "trail running shoe",
                "cast iron skillet", "noise-cancelling headphones", "bamboo cutting board", "leather notebook",
                "scented soy candle", "insulated water bottle", "linen bedding set"};
        private static final String[] QUALITIES = {"hand-made", "sustainably sourced", "lightweight", "durable",
                "minimalist", "award-winning", "limited edition", "dishwasher safe", "vegan", "waterproof"};
        private static final String[] TASTES = {"dark roast coffee", "Scandinavian design", "indie folk music",
                "mountain hiking", "Japanese ceramics", "vintage watches", "board games", "street photography",
                "plant-based cooking", "mid-century furniture"};
        private static final String[] OCCASIONS = {"a birthday", "an anniversary", "a housewarming", "graduation",
                "the holidays", "a retirement party", "Mother's Day"};
        private static final String[] DOC_SUBJECTS = {"the authentication endpoint", "the orders API",
                "webhook signatures", "pagination cursors", "the export job", "API key rotation",
                "the search index", "batch uploads"};
        private static final String[] DOC_ACTIONS = {"returns a 401 when the token has expired",
                "accepts at most 100 items per request", "must be retried with the same idempotency key",
                "is rate limited to 10 requests per second per client", "streams results as newline-delimited JSON",
                "requires the admin scope", "responds with a cursor for the next page"};

        static List<String> generate(int count, Random random) {
            List<String> texts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                texts.add(switch (i % 4) {
                    case 0 -> post(random);
                    case 1 -> product(random);
                    case 2 -> profile(random);
                    default -> doc(random);
                });
            }
            return texts;
        }

        private static String post(Random r) {
            String text = "Just finished my interview loop as a " + pick(r, ROLES) + " at " + pick(r, COMPANIES)
                    + ". The technical round was about " + pick(r, TOPICS) + ", and the follow-up was about "
                    + pick(r, TOPICS) + ".";
            return r.nextBoolean() ? text : text + " I got the offer after " + (2 + r.nextInt(5))
                    + " weeks, so do not give up if the recruiter goes quiet.";
        }

        private static String product(Random r) {
            return pick(r, QUALITIES) + " " + pick(r, PRODUCTS) + ", " + pick(r, QUALITIES) + " and "
                    + pick(r, QUALITIES) + ", rated " + (3 + r.nextInt(3)) + " stars by " + (10 + r.nextInt(900))
                    + " buyers; a good gift for " + pick(r, OCCASIONS) + ".";
        }

        private static String profile(Random r) {
            return "Taste profile: enjoys " + pick(r, TASTES) + ", " + pick(r, TASTES) + " and " + pick(r, TASTES)
                    + "; prefers " + pick(r, QUALITIES) + " things over " + pick(r, QUALITIES) + " ones.";
        }

        private static String doc(Random r) {
            String text = "Note that " + pick(r, DOC_SUBJECTS) + " " + pick(r, DOC_ACTIONS) + ".";
            return r.nextInt(3) == 0 ? text + " See also " + pick(r, DOC_SUBJECTS) + ", which "
                    + pick(r, DOC_ACTIONS) + ", and " + pick(r, DOC_SUBJECTS) + ", which " + pick(r, DOC_ACTIONS) + "." : text;
        }

        private static String pick(Random random, String[] words) {
            return words[random.nextInt(words.length)];
        }
    }
}
