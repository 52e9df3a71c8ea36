package io.jobstream.store;

/** One entity's vector for one model, and the hash of the text it was made from. */
public record Embedding(String entityType, String entityId, String model, String contentHash, float[] vector,
                        String content) {

    public int dimensions() {
        return vector.length;
    }
}
