package io.jobstream.catalog.collection;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A curated collections job's return value.
 *
 * @param skipped    true when the (surface, date) already had collections; nothing was built
 * @param candidates products that passed the filters and had a current vector
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionsResult(String surface, String date, boolean skipped, Integer candidates, List<Summary> collections,
                                Long buildMillis) {

    public record Summary(int position, String title, int size) {
    }
}
