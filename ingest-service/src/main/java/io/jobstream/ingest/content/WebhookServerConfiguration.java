package io.jobstream.ingest.content;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Server settings the webhook's size limit relies on. */
@Configuration(proxyBeanMethods = false)
public class WebhookServerConfiguration {

    /**
     * Tomcat answers {@code Expect: 100-continue} only when the application starts reading the
     * body, so a client announcing a body over the limit (curl does for any body over 1 MB) gets
     * the 413 without ever sending it.
     */
    @Bean
    public TomcatProtocolHandlerCustomizer<AbstractHttp11Protocol<?>> continueOnlyWhenTheBodyIsRead() {
        return protocol -> protocol.setContinueResponseTiming("onRead");
    }
}
