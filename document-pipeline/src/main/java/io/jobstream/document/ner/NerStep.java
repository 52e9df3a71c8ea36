package io.jobstream.document.ner;

import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.document.DocumentTextLoader;
import io.jobstream.events.DocumentClassified;
import io.jobstream.events.DocumentEntitiesExtracted;
import io.jobstream.events.LabelScore;
import io.jobstream.events.NamedEntity;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.store.document.Mention;

/** Step 3: named entities of the extracted text, with their offsets. */
public final class NerStep implements JobHandler<DocumentClassified, DocumentEntitiesExtracted> {

    private static final Logger log = LoggerFactory.getLogger(NerStep.class);
    private static final String STEP = DocumentJobs.NER.eventStep();

    private final DocumentTextLoader texts;
    private final EntityRecognizer recognizer;
    private final int maxCharacters;

    /** @param maxCharacters entities are looked for in this many leading characters of the text */
    public NerStep(DocumentTextLoader texts, EntityRecognizer recognizer, int maxCharacters) {
        this.texts = texts;
        this.recognizer = recognizer;
        this.maxCharacters = maxCharacters;
    }

    @Override
    public DocumentEntitiesExtracted handle(Job<DocumentClassified> job) {
        DocumentClassified document = job.data();
        job.progress(0, STEP);
        String text = texts.load(document.getTextRef(), document.getFileName());
        job.progress(20, STEP);
        List<Mention> mentions = recognizer.recognize(text.length() > maxCharacters ? text.substring(0, maxCharacters) : text);
        log.info("document entities recognized jobId={} fileName={} mentions={} provider={}",
                job.id(), document.getFileName(), mentions.size(), recognizer.provider());
        return DocumentEntitiesExtracted.newBuilder()
                .setJobId(job.id())
                .setFileName(document.getFileName())
                .setTextRef(document.getTextRef())
                .setMediaType(document.getMediaType())
                .setCharacters(document.getCharacters())
                .setLabel(document.getLabel())
                .setScores(document.getScores().stream()
                        .collect(Collectors.toMap(LabelScore::getLabel, LabelScore::getScore, (a, b) -> a)))
                .setEntities(mentions.stream()
                        .map(m -> new NamedEntity(m.type(), m.text(), m.start(), m.end()))
                        .toList())
                .setProvider(recognizer.provider())
                .setClassificationProvider(document.getProvider())
                .build();
    }
}
