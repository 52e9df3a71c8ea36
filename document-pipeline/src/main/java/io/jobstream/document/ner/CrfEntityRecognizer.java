package io.jobstream.document.ner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.util.Triple;

import io.jobstream.store.document.Mention;

/**
 * Offline named-entity recognition with Stanford CoreNLP's English CRF, the 7-class MUC model
 * (PERSON, ORGANIZATION, LOCATION, DATE, MONEY, PERCENT, TIME), from the models jar on Maven
 * Central. Only {@link CRFClassifier} is used, not CoreNLP's annotation pipeline.
 *
 * <p>License: Stanford CoreNLP and its models are GPL-3.0-or-later (see the module's LICENSE-NOTICE.md).
 */
public final class CrfEntityRecognizer implements EntityRecognizer {

    public static final String MUC_7_CLASS = "edu/stanford/nlp/models/ner/english.muc.7class.distsim.crf.ser.gz";

    private static final Logger log = LoggerFactory.getLogger(CrfEntityRecognizer.class);

    private final CRFClassifier<CoreLabel> classifier;
    private final String model;

    /** @param model the serialized classifier's classpath resource or file path */
    public CrfEntityRecognizer(String model) {
        long start = System.nanoTime();
        try {
            this.classifier = CRFClassifier.getClassifier(model);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot load the CRF NER model " + model, e);
        }
        this.model = model;
        log.info("CRF NER model loaded model={} loadMillis={}", model, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public List<Mention> recognize(String text) {
        List<Mention> mentions = new ArrayList<>();
        for (Triple<String, Integer, Integer> entity : classifier.classifyToCharacterOffsets(text)) {
            mentions.add(new Mention(entity.first(), text.substring(entity.second(), entity.third()), entity.second(),
                    entity.third()));
        }
        return mentions;
    }

    @Override
    public String provider() {
        return "corenlp-crf:" + model.substring(model.lastIndexOf('/') + 1);
    }
}
