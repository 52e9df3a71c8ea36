package io.jobstream.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Real files made in the test: a PDF (PDFBox), a DOCX (POI) and an HTML page. */
public final class SampleDocuments {

    public static final String FINANCE = "The company reported quarterly revenue of four billion dollars and raised its profit forecast. "
            + "Shares rose eight percent on the stock exchange as investors welcomed the higher dividend and the bank loan refinancing.";
    public static final String LEGAL = "This agreement is entered into by and between the parties named below. The licensee shall indemnify "
            + "the licensor against any liability arising from a breach of this contract, and any dispute shall be settled by the courts.";
    public static final String TECHNOLOGY = "The backend service is written in Java and exposes a REST API. Requests are served by stateless "
            + "servers behind a load balancer, and the data is stored in a PostgreSQL database with nightly backups to the cloud.";
    public static final String HEALTH = "The patient was admitted to the hospital with a fever and a persistent cough. The doctor diagnosed "
            + "pneumonia and prescribed antibiotics, and the symptoms improved after five days of treatment.";
    /** Issue 5's sentence. */
    public static final String CUBAN = "Mark Cuban invested $2 million in a Dallas startup in March 2024.";
    public static final String BUFFETT = "Warren Buffett invested $2 million in a Dallas startup in March 2024.";

    private SampleDocuments() {
    }

    public static byte[] pdf(List<String> lines) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                content.setLeading(14);
                content.newLineAtOffset(50, 720);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    public static byte[] docx(List<String> paragraphs) throws IOException {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            paragraphs.forEach(text -> document.createParagraph().createRun().setText(text));
            document.write(out);
            return out.toByteArray();
        }
    }

    public static byte[] html(String title, String body) {
        return ("<!DOCTYPE html><html><head><title>" + title + "</title><style>p{color:red}</style></head><body><h1>" + title
                + "</h1><p>" + body + "</p><script>var ignored = 'not text';</script></body></html>")
                .getBytes(StandardCharsets.UTF_8);
    }
}
