package io.jobstream.document.extraction;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

import io.jobstream.core.retry.PermanentJobException;

/**
 * Plain text out of whatever Apache Tika detects (PDF, DOCX, HTML, text, ODT, RTF, e-mail…). A file
 * Tika cannot parse, or one without any text, is a permanent failure: no retry would change it.
 */
public final class TikaTextExtractor {

    private static final int MAX_METADATA_ENTRIES = 40;
    private static final int MAX_METADATA_VALUE = 300;

    private final AutoDetectParser parser = new AutoDetectParser();
    private final int maxCharacters;

    /** @param maxCharacters text beyond this is cut off (the rest of the document is not read) */
    public TikaTextExtractor(int maxCharacters) {
        this.maxCharacters = maxCharacters;
    }

    public Extraction extract(byte[] content, String fileName, String declaredType) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        if (declaredType != null) {
            metadata.set(Metadata.CONTENT_TYPE, declaredType);
        }
        BodyContentHandler body = new BodyContentHandler(maxCharacters);
        try (InputStream in = TikaInputStream.get(content)) {
            parser.parse(in, body, metadata, new ParseContext());
        } catch (SAXException e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                throw unreadable(fileName, metadata, e);
            }
        } catch (TikaException | IOException e) {
            throw unreadable(fileName, metadata, e);
        }
        String text = body.toString().strip();
        String mediaType = metadata.get(Metadata.CONTENT_TYPE);
        if (text.isEmpty()) {
            throw new PermanentJobException("no text found in " + fileName + " (" + mediaType + ")");
        }
        return new Extraction(text, mediaType, summary(metadata));
    }

    private static PermanentJobException unreadable(String fileName, Metadata metadata, Exception e) {
        return new PermanentJobException("cannot extract text from " + fileName + " (" + metadata.get(Metadata.CONTENT_TYPE)
                + "), the file may be corrupt: " + e.getMessage(), e);
    }

    /** Single-valued metadata, bounded: it travels in the step's record. */
    private static Map<String, String> summary(Metadata metadata) {
        Map<String, String> summary = new TreeMap<>();
        Arrays.stream(metadata.names()).sorted().limit(MAX_METADATA_ENTRIES).forEach(name -> {
            String value = metadata.get(name);
            if (value != null && !value.isBlank()) {
                summary.put(name, value.length() > MAX_METADATA_VALUE ? value.substring(0, MAX_METADATA_VALUE) : value);
            }
        });
        return summary;
    }
}
