package io.jobstream.document.extraction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.events.DocumentExtracted;
import io.jobstream.events.DocumentSubmitted;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.store.document.DocumentTexts;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.ExtractedText;
import io.jobstream.store.document.Upload;

/** Step 1: the uploaded bytes (claim check) to text, stored by document id for the next steps. */
public final class ExtractionStep implements JobHandler<DocumentSubmitted, DocumentExtracted> {

    private static final Logger log = LoggerFactory.getLogger(ExtractionStep.class);
    private static final String STEP = DocumentJobs.EXTRACTION.eventStep();

    private final DocumentUploads uploads;
    private final DocumentTexts texts;
    private final TikaTextExtractor extractor;

    public ExtractionStep(DocumentUploads uploads, DocumentTexts texts, TikaTextExtractor extractor) {
        this.uploads = uploads;
        this.texts = texts;
        this.extractor = extractor;
    }

    @Override
    public DocumentExtracted handle(Job<DocumentSubmitted> job) {
        DocumentSubmitted document = job.data();
        job.progress(0, STEP);
        Upload upload = uploads.load(document.getContentRef()).orElseThrow(() -> new PermanentJobException(
                "the upload of " + document.getFileName() + " (" + document.getContentRef() + ") is not in the content store"));
        job.progress(10, STEP);
        Extraction extraction = extractor.extract(upload.content(), document.getFileName(), document.getContentType());
        job.progress(80, STEP);
        texts.save(new ExtractedText(job.id(), extraction.text(), extraction.mediaType(), extraction.metadata()));
        log.info("document text extracted jobId={} fileName={} mediaType={} characters={}",
                job.id(), document.getFileName(), extraction.mediaType(), extraction.text().length());
        return DocumentExtracted.newBuilder()
                .setJobId(job.id())
                .setFileName(document.getFileName())
                .setTextRef(job.id())
                .setCharacters(extraction.text().length())
                .setMediaType(extraction.mediaType())
                .setMetadata(extraction.metadata())
                .build();
    }
}
