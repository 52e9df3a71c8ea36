package io.jobstream.document.ner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.util.Triple;

import io.jobstream.store.document.Mention;

/**
 * Offline named-entity recognition with Stanford CoreNLP's English CRF models from the models jar
 * on Maven Central, through {@link CRFClassifier} only (not CoreNLP's annotation pipeline). By
 * default two models are combined as CoreNLP's own NER combines them: the 3-class model (PERSON,
 * ORGANIZATION, LOCATION; trained on more data, it finds people the other misses) first, then the
 * 7-class MUC model (adds DATE, MONEY, PERCENT, TIME) for every span the first left untagged. What
 * both leave untagged may still be a person with a known first name ({@link FirstNameBackoff}).
 *
 * <p>License: Stanford CoreNLP and its models are GPL-3.0-or-later (see the module's LICENSE-NOTICE.md).
 */
public final class CrfEntityRecognizer implements EntityRecognizer {

    public static final String ALL_3_CLASS = "edu/stanford/nlp/models/ner/english.all.3class.distsim.crf.ser.gz";
    public static final String MUC_7_CLASS = "edu/stanford/nlp/models/ner/english.muc.7class.distsim.crf.ser.gz";

    private static final Logger log = LoggerFactory.getLogger(CrfEntityRecognizer.class);

    private final List<CRFClassifier<CoreLabel>> classifiers = new ArrayList<>();
    private final FirstNameBackoff firstNames = FirstNameBackoff.fromModelsJar();
    private final String provider;

    /** @param models serialized classifiers (classpath resources or files), the first one winning overlaps */
    public CrfEntityRecognizer(List<String> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("at least one CRF model is required");
        }
        for (String model : models) {
            long start = System.nanoTime();
            try {
                classifiers.add(CRFClassifier.getClassifier(model));
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot load the CRF NER model " + model, e);
            }
            log.info("CRF NER model loaded model={} loadMillis={}", model, (System.nanoTime() - start) / 1_000_000);
        }
        this.provider = "corenlp-crf:" + String.join("+", models.stream()
                .map(model -> model.substring(model.lastIndexOf('/') + 1).replace(".distsim.crf.ser.gz", ""))
                .toList()) + "+first-names";
    }

    @Override
    public List<Mention> recognize(String text) {
        List<Mention> mentions = new ArrayList<>();
        for (CRFClassifier<CoreLabel> classifier : classifiers) {
            for (Triple<String, Integer, Integer> entity : classifier.classifyToCharacterOffsets(text)) {
                Mention mention = new Mention(entity.first(), text.substring(entity.second(), entity.third()),
                        entity.second(), entity.third());
                if (mentions.stream().noneMatch(taken -> taken.start() < mention.end() && mention.start() < taken.end())) {
                    mentions.add(mention);
                }
            }
        }
        mentions.addAll(firstNames.people(text, mentions));
        mentions.sort(Comparator.comparingInt(Mention::start));
        return mentions;
    }

    @Override
    public String provider() {
        return provider;
    }
}
