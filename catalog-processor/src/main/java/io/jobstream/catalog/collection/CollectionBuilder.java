package io.jobstream.catalog.collection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.jobstream.catalog.enrichment.Rake;
import io.jobstream.store.product.ProductVector;

/**
 * Builds a day's collections from product vectors: k-means into {@code collectionsCount} clusters,
 * each cluster's members nearest its centroid first, at most {@code productsPerCollection} of them.
 * Clusters partition the products, so no product is in two collections of a run. A collection is
 * titled by its most common enrichment category (when most members have it) and its top keywords:
 * words frequent in the cluster and rare in the other products (TF-IDF over the candidates).
 */
final class CollectionBuilder {

    static final int TITLE_KEYWORDS = 3;

    record Built(String title, List<String> keywords, List<String> productIds) {
    }

    private final long seed;
    private final int maxIterations;

    CollectionBuilder(long seed, int maxIterations) {
        this.seed = seed;
        this.maxIterations = maxIterations;
    }

    /** Largest collections first; empty clusters are left out. */
    List<Built> build(List<ProductVector> products, int collectionsCount, int productsPerCollection) {
        if (products.isEmpty()) {
            return List.of();
        }
        int k = Math.min(collectionsCount, products.size());
        KMeans.Clusters clusters = KMeans.cluster(products.stream().map(ProductVector::vector).toList(), k, seed, maxIterations);
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < products.size(); i++) {
            members.get(clusters.assignment()[i]).add(i);
        }
        Map<String, Integer> documentFrequency = documentFrequency(products);
        List<Built> built = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            float[] centroid = clusters.centroids()[c];
            List<ProductVector> cluster = members.get(c).stream().map(products::get)
                    .sorted(Comparator.<ProductVector>comparingDouble(p -> KMeans.distance(p.vector(), centroid))
                            .thenComparing(ProductVector::productId))
                    .toList();
            if (cluster.isEmpty()) {
                continue;
            }
            List<String> keywords = keywords(cluster, documentFrequency, products.size());
            built.add(new Built(title(cluster, keywords), keywords,
                    cluster.stream().limit(productsPerCollection).map(ProductVector::productId).toList()));
        }
        built.sort(Comparator.comparingInt((Built b) -> -b.productIds().size()).thenComparing(Built::title));
        return built;
    }

    private static Map<String, Integer> documentFrequency(List<ProductVector> products) {
        Map<String, Integer> frequency = new HashMap<>();
        products.forEach(product -> words(product).forEach(word -> frequency.merge(word, 1, Integer::sum)));
        return frequency;
    }

    private static List<String> keywords(List<ProductVector> cluster, Map<String, Integer> documentFrequency, int total) {
        Map<String, Integer> inCluster = new HashMap<>();
        cluster.forEach(product -> words(product).forEach(word -> inCluster.merge(word, 1, Integer::sum)));
        int minimum = cluster.size() > 1 ? 2 : 1;
        return inCluster.entrySet().stream()
                .filter(entry -> entry.getValue() >= minimum)
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingDouble(entry -> -entry.getValue()
                                * Math.log((double) total / documentFrequency.get(entry.getKey())))
                        .thenComparing(Map.Entry::getKey))
                .limit(TITLE_KEYWORDS)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** A product's distinct content words: title, description and tags. */
    private static Set<String> words(ProductVector product) {
        return new HashSet<>(Rake.contentWords(product.title() + ". " + product.description() + ". "
                + String.join(", ", product.tags())));
    }

    private static String title(List<ProductVector> cluster, List<String> keywords) {
        Map<String, Long> categories = cluster.stream().filter(p -> p.category() != null)
                .collect(Collectors.groupingBy(ProductVector::category, LinkedHashMap::new, Collectors.counting()));
        String category = categories.entrySet().stream()
                .filter(entry -> entry.getValue() * 2 > cluster.size())
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
        String words = keywords.stream().map(CollectionBuilder::capitalized).collect(Collectors.joining(", "));
        if (category == null) {
            return words.isEmpty() ? "Picks" : words;
        }
        // Taxonomy keys are slugs (home-and-kitchen): shown as words.
        String shown = capitalized(category.replace('-', ' '));
        return words.isEmpty() ? shown : shown + ": " + words;
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
