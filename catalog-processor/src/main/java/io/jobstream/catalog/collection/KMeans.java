package io.jobstream.catalog.collection;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means with k-means++ seeding (Arthur and Vassilvitskii, 2007) from a fixed seed, over
 * unit vectors with squared Euclidean distance (for unit vectors, ordering by it is ordering by
 * cosine). The same vectors in the same order with the same seed give the same clusters.
 */
final class KMeans {

    /** @param assignment cluster index per vector; @param centroids one per cluster */
    record Clusters(int[] assignment, float[][] centroids) {
    }

    private KMeans() {
    }

    static Clusters cluster(List<float[]> vectors, int k, long seed, int maxIterations) {
        int n = vectors.size();
        int dims = vectors.getFirst().length;
        float[][] centroids = seedCentroids(vectors, k, new SplittableRandom(seed));
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int nearest = nearest(vectors.get(i), centroids);
                if (nearest != assignment[i]) {
                    assignment[i] = nearest;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[k][dims];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                float[] vector = vectors.get(i);
                double[] sum = sums[assignment[i]];
                for (int d = 0; d < dims; d++) {
                    sum[d] += vector[d];
                }
                counts[assignment[i]]++;
            }
            for (int c = 0; c < k; c++) {
                // An empty cluster keeps its centroid: it may win members back next round.
                if (counts[c] > 0) {
                    for (int d = 0; d < dims; d++) {
                        centroids[c][d] = (float) (sums[c][d] / counts[c]);
                    }
                }
            }
        }
        return new Clusters(assignment, centroids);
    }

    static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = a[d] - b[d];
            sum += diff * diff;
        }
        return sum;
    }

    private static int nearest(float[] vector, float[][] centroids) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double distance = distance(vector, centroids[c]);
            if (distance < bestDistance) {
                best = c;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** k-means++: each next centroid is drawn with probability proportional to its squared distance to the nearest chosen one. */
    private static float[][] seedCentroids(List<float[]> vectors, int k, SplittableRandom random) {
        int n = vectors.size();
        float[][] centroids = new float[k][];
        centroids[0] = vectors.get(random.nextInt(n)).clone();
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], distance(vectors.get(i), centroids[c - 1]));
                total += nearest[i];
            }
            int chosen = n - 1;
            double target = random.nextDouble() * total;
            for (int i = 0; i < n; i++) {
                target -= nearest[i];
                if (target < 0) {
                    chosen = i;
                    break;
                }
            }
            centroids[c] = vectors.get(chosen).clone();
        }
        return centroids;
    }
}
