package io.jobstream.document.classification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.document.DocumentTextLoader;
import io.jobstream.events.DocumentClassified;
import io.jobstream.events.DocumentExtracted;
import io.jobstream.events.LabelScore;
import io.jobstream.jobs.DocumentJobs;

/** Step 2: the extracted text gets a label and a score for every label. */
public final class ClassificationStep implements JobHandler<DocumentExtracted, DocumentClassified> {

    private static final Logger log = LoggerFactory.getLogger(ClassificationStep.class);
    private static final String STEP = DocumentJobs.CLASSIFICATION.eventStep();

    private final DocumentTextLoader texts;
    private final DocumentClassifier classifier;

    public ClassificationStep(DocumentTextLoader texts, DocumentClassifier classifier) {
        this.texts = texts;
        this.classifier = classifier;
    }

    @Override
    public DocumentClassified handle(Job<DocumentExtracted> job) {
        DocumentExtracted document = job.data();
        job.progress(0, STEP);
        String text = texts.load(document.getTextRef(), document.getFileName());
        job.progress(20, STEP);
        Classification classification = classifier.classify(text);
        log.info("document classified jobId={} fileName={} label={} score={} provider={}", job.id(), document.getFileName(),
                classification.label(), classification.scores().getFirst().score(), classification.provider());
        return DocumentClassified.newBuilder()
                .setJobId(job.id())
                .setFileName(document.getFileName())
                .setTextRef(document.getTextRef())
                .setMediaType(document.getMediaType())
                .setCharacters(document.getCharacters())
                .setLabel(classification.label())
                .setScores(classification.scores().stream()
                        .map(score -> new LabelScore(score.label(), score.score()))
                        .toList())
                .setProvider(classification.provider())
                .build();
    }
}
