package io.jobstream.ingest.query;

import java.util.List;

/**
 * One page of a listing, newest first.
 *
 * @param total how many jobs match the filter across all instances
 * @param jobs  the requested page of them
 */
public record JobPage(long total, List<JobSnapshot> jobs) {
}
