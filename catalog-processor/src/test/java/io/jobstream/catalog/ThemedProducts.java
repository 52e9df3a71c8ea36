package io.jobstream.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.content.ProductText;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;

/**
 * Sixty products in three obvious themes (coffee, yoga and fitness, children's toys), twenty each,
 * stored with their vectors of the real MiniLM as the embedding processor stores them. Even
 * positions are featured; prices rise by 100 with the position, from 500.
 */
final class ThemedProducts {

    static final List<String> THEMES = List.of("coffee", "fitness", "toys");
    static final int PER_THEME = 20;

    private static final List<List<String>> TITLES = List.of(
            List.of("Ceramic pour-over coffee dripper", "Burr coffee grinder", "Espresso cup set", "French press coffee maker",
                    "Single-origin Ethiopian coffee beans", "Gooseneck coffee kettle", "Cold brew coffee jug",
                    "Barista milk frothing pitcher", "Coffee scale with timer", "Insulated travel coffee mug",
                    "Stovetop moka pot espresso maker", "Paper coffee filters", "Colombian dark roast coffee",
                    "Latte art starter kit", "Coffee bean storage canister", "Espresso tamper", "Aeropress coffee maker",
                    "Decaf coffee sampler", "Coffee lover's gift hamper", "Double-walled glass coffee cups"),
            List.of("Non-slip yoga mat", "Resistance bands set for strength training", "Adjustable dumbbells",
                    "Cork yoga block", "Foam roller for muscle recovery", "Kettlebell for home workouts",
                    "Skipping rope for cardio fitness", "Yoga strap for stretching", "Pilates ring", "Gym gloves",
                    "Ab wheel for core workouts", "Fitness tracker band", "Push-up bars", "Balance board for training",
                    "Yoga bolster cushion", "Workout step platform", "Weighted vest for training", "Pull-up bar for doorways",
                    "Exercise ball for core fitness", "Meditation and yoga cushion"),
            List.of("Wooden building blocks for toddlers", "Plush teddy bear", "Toy train set with wooden tracks",
                    "Jigsaw puzzle for kids", "Dolls house with furniture", "Remote control toy car", "Stacking rings toy for babies",
                    "Children's board game", "Toy kitchen play set", "Soft toy bunny", "Magnetic building tiles for children",
                    "Shape sorter toy", "Kids' dinosaur figures", "Marble run toy", "Rocking horse for toddlers",
                    "Toy doctor kit for kids", "Puppet theatre for children", "Musical toy xylophone for kids", "Kids' farm animal toys",
                    "Spinning top toys"));

    private ThemedProducts() {
    }

    static String theme(String productId) {
        return productId.substring(0, productId.indexOf('-'));
    }

    /** Stores the sixty products and their vectors; returns them. */
    static List<StoredProduct> store(ProductRepository products, EmbeddingRepository embeddings, EmbeddingProvider model) {
        List<StoredProduct> all = new ArrayList<>();
        for (int t = 0; t < THEMES.size(); t++) {
            for (int i = 0; i < PER_THEME; i++) {
                String title = TITLES.get(t).get(i);
                int position = t * PER_THEME + i;
                all.add(new StoredProduct(THEMES.get(t) + "-" + i, title, "", null, 500 + 100L * position, "GBP",
                        position % 2 == 0, List.of(), Instant.parse("2026-12-01T00:00:00Z"),
                        ProductText.hash(title, null, "", List.of())));
            }
        }
        products.upsert(all);
        List<float[]> vectors = model.embed(all.stream().map(p -> ProductText.of(p.title(), null, "", List.of())).toList());
        List<Embedding> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            rows.add(new Embedding("product", all.get(i).productId(), model.model(),
                    all.get(i).textHash(), vectors.get(i), all.get(i).title()));
        }
        embeddings.upsert(rows);
        return all;
    }
}
