package io.jobstream.ingest.scheduler;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** This instance's schedulers, for other instances (see {@code InternalApi}); 503 when it cannot answer. */
@RestController
public class InternalSchedulerController {

    public static final String ROUTE = "/internal/schedulers";

    private final LocalSchedulers local;

    public InternalSchedulerController(LocalSchedulers local) {
        this.local = local;
    }

    @GetMapping(ROUTE)
    public LocalSchedulers.Answer schedulers() {
        return local.all();
    }
}
