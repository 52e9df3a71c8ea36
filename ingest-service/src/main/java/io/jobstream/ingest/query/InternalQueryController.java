package io.jobstream.ingest.query;

import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.events.JobState;
import io.jobstream.ingest.query.InternalApi.CountsAnswer;
import io.jobstream.ingest.query.InternalApi.JobsAnswer;
import io.jobstream.ingest.query.InternalApi.LookupAnswer;

/**
 * The {@link InternalApi} routes: this instance's stores only, for other instances of the service.
 * Not part of the public API; a gateway should not expose {@code /internal}.
 */
@RestController
public class InternalQueryController {

    private final JobStatusQueries queries;

    public InternalQueryController(JobStatusQueries queries) {
        this.queries = queries;
    }

    @GetMapping(InternalApi.JOB)
    public LookupAnswer job(@PathVariable String id) {
        return switch (queries.findLocal(id)) {
            case JobLookup.Found(JobSnapshot job) -> new LookupAnswer(true, job);
            case JobLookup.Absent() -> new LookupAnswer(false, null);
            case JobLookup.Unavailable(String reason) -> throw new StatusUnavailableException(reason);
        };
    }

    @GetMapping(InternalApi.JOBS)
    public JobsAnswer jobs(@RequestParam(required = false) String queue,
                           @RequestParam(required = false) Set<JobState> states,
                           @RequestParam(required = false) String idPrefix,
                           @RequestParam int limit) {
        return queries.listLocal(new JobFilter(queue, states == null ? Set.of() : states, idPrefix), limit);
    }

    @GetMapping(InternalApi.LOGS)
    public InternalApi.LogsAnswer logs(@PathVariable String id) {
        return new InternalApi.LogsAnswer(queries.logsLocal(id));
    }

    @GetMapping(InternalApi.ATTEMPTS)
    public InternalApi.AttemptsAnswer attempts(@PathVariable String id) {
        return new InternalApi.AttemptsAnswer(queries.attemptsLocal(id));
    }

    @GetMapping(InternalApi.COUNTS)
    public CountsAnswer counts() {
        return queries.countsLocal();
    }
}
