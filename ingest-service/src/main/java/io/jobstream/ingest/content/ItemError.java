package io.jobstream.ingest.content;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one dataset item was rejected.
 *
 * @param index  the item's position in the request's items
 * @param postId the item's post id when it could be read
 * @param field  the item's field at fault, under the name the item used
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ItemError(int index, String postId, String field, String reason) {
}
