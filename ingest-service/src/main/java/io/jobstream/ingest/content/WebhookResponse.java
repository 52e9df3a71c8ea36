package io.jobstream.ingest.content;

import java.util.List;

/**
 * What the webhook answers: 202 when any item was accepted, 422 (nothing published) when none was.
 *
 * @param jobIds     the embedding job of every accepted post, in item order
 * @param duplicates those of {@code jobIds} that were already unfinished: the post was published,
 *                   its existing job kept (BullMQ semantics), and no second job added
 */
record WebhookResponse(boolean success, int accepted, int rejected, List<String> jobIds, List<String> duplicates,
                       List<ItemError> errors) {

    static WebhookResponse accepted(List<String> jobIds, List<String> duplicates, int rejected, List<ItemError> errors) {
        return new WebhookResponse(true, jobIds.size(), rejected, jobIds, duplicates, errors);
    }

    static WebhookResponse nothingAccepted(int rejected, List<ItemError> errors) {
        return new WebhookResponse(false, 0, rejected, List.of(), List.of(), errors);
    }
}
