package io.jobstream.dispatch.scraper;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Seed 000's scraper: an Apify-compatible "run actor" endpoint, e.g.
 * {@code https://api.apify.com/v2/acts/<actor>/runs}.
 *
 * @param actorRunUrl where a run is started (POST, the actor's input as the JSON body); blank: every run fails permanently
 * @param token       sent as {@code Authorization: Bearer <token>}; never logged
 * @param maxItems    posts per run unless the job's data says otherwise (seed 000: 100)
 * @param webhookUrl  when set, the run is started with an ad-hoc webhook (Apify's {@code webhooks} parameter)
 *                    calling this URL when it succeeds: the dataset comes back through the ingest webhook
 * @param timeout     one start request's limit; a timeout is retried
 */
@ConfigurationProperties("jobstream.scraper")
public record ScraperProperties(URI actorRunUrl, @DefaultValue("") String token, @DefaultValue("100") int maxItems,
                                URI webhookUrl, @DefaultValue("30s") Duration timeout) {

    public ScraperProperties {
        if (maxItems < 1) {
            throw new IllegalArgumentException("jobstream.scraper.max-items must be at least 1, got " + maxItems);
        }
    }

    public boolean configured() {
        return actorRunUrl != null && !actorRunUrl.toString().isBlank();
    }

    @Override
    public String toString() {
        return "ScraperProperties[actorRunUrl=" + actorRunUrl + ", token=" + (token.isEmpty() ? "" : "***")
                + ", maxItems=" + maxItems + ", webhookUrl=" + webhookUrl + ", timeout=" + timeout + "]";
    }
}
