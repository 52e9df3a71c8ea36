package io.jobstream.document;

import java.util.List;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import io.jobstream.core.retry.TransientJobException;
import io.jobstream.document.ner.EntityRecognizer;
import io.jobstream.store.document.Mention;

/**
 * A fault injected into the NER step: documents carrying {@link #MARKER} fail there (transiently,
 * like a model server that is down); others go to the real recognizer. Not a component: a test
 * passes it as a source when it starts the pipeline.
 */
public class FaultyNer {

    public static final String MARKER = "NER-FAULT";

    @Bean
    @Primary
    EntityRecognizer faultyRecognizer(@Qualifier("entityRecognizer") EntityRecognizer real) {
        return new EntityRecognizer() {
            @Override
            public List<Mention> recognize(String text) {
                if (text.contains(MARKER)) {
                    throw new TransientJobException("injected NER fault: the model server is unavailable");
                }
                return real.recognize(text);
            }

            @Override
            public String provider() {
                return real.provider();
            }
        };
    }
}
