package io.jobstream.curl.ocr;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;

/**
 * Tesseract's command line ({@code tesseract-ocr} and {@code tesseract-ocr-eng} from Debian), one
 * process per screenshot. Its TSV output gives every word with its confidence; words are grouped
 * back into lines by their block, paragraph and line numbers.
 *
 * @param command              the executable, e.g. {@code tesseract} or an absolute path
 * @param language             the trained data, e.g. {@code eng}
 * @param pageSegmentationMode Tesseract's {@code --psm}; 6 reads the page as one block of text,
 *                             which keeps a reference page's lines (method and URL) together
 * @param timeout              one recognition's limit; beyond it the attempt fails as transient
 * @param threads              OpenMP threads per recognition ({@code OMP_THREAD_LIMIT}); the queue's
 *                             concurrency runs recognitions side by side, and one thread each is
 *                             2-3 times faster here than Tesseract's default of all cores each
 * @param minTextHeight        a PNG or JPEG whose words are lower than this (median box height, pixels) is
 *                             read again enlarged twice (bicubic): a 1x screenshot's 13 px font (words
 *                             12 px high) is too small for Tesseract, which then reads a quarter of the
 *                             fields right; twice as large, nearly all. Enlarging text that is large
 *                             already loses underscores, so only small text is enlarged; 0: never
 */
public record TesseractOcr(String command, String language, int pageSegmentationMode, Duration timeout, int threads,
                           int minTextHeight) {

    private static final int TSV_COLUMNS = 12;

    public OcrText read(byte[] image) {
        long started = System.nanoTime();
        OcrText first = recognize(image);
        if (first.isEmpty() || first.textHeight() >= minTextHeight) {
            return first;
        }
        byte[] larger = enlarged(image);
        if (larger == null) {
            return first;
        }
        OcrText second = recognize(larger);
        return new OcrText(second.lines(), second.meanConfidence(), second.textHeight(), Duration.ofNanos(System.nanoTime() - started));
    }

    private OcrText recognize(byte[] image) {
        long started = System.nanoTime();
        Path input = null;
        Path errors = null;
        try {
            input = Files.createTempFile("jobstream-ocr-", ".img");
            errors = Files.createTempFile("jobstream-ocr-", ".err");
            Files.write(input, image);
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(command, input.toString(), "stdout", "-l", language,
                        "--psm", Integer.toString(pageSegmentationMode), "tsv")
                        .redirectError(errors.toFile());
                builder.environment().put("OMP_THREAD_LIMIT", Integer.toString(threads));
                process = builder.start();
            } catch (IOException e) {
                throw new PermanentJobException("cannot run the OCR command '" + command
                        + "' (install Debian's tesseract-ocr and tesseract-ocr-eng, or set jobstream.curl.ocr.command): " + e.getMessage());
            }
            process.getOutputStream().close();
            byte[] tsv = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TransientJobException("OCR took longer than " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new PermanentJobException("the screenshot is not a readable image: tesseract exited with "
                        + process.exitValue() + ": " + lastLines(Files.readString(errors, StandardCharsets.UTF_8)));
            }
            return parse(new String(tsv, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("OCR failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientJobException("OCR interrupted");
        } finally {
            delete(input);
            delete(errors);
        }
    }

    /** The image twice as large, as PNG; null when Java cannot decode it (WebP, which Tesseract reads itself). */
    private static byte[] enlarged(byte[] image) {
        BufferedImage source;
        try {
            source = ImageIO.read(new ByteArrayInputStream(image));
        } catch (IOException unreadable) {
            return null;
        }
        if (source == null) {
            return null;
        }
        BufferedImage larger = new BufferedImage(source.getWidth() * 2, source.getHeight() * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = larger.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.drawImage(source, 0, 0, larger.getWidth(), larger.getHeight(), null);
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(larger, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** Tesseract's TSV: level, page, block, paragraph, line, word, left, top, width, height, conf, text. */
    static OcrText parse(String tsv, Duration elapsed) {
        Map<String, List<String[]>> lines = new LinkedHashMap<>();
        List<Integer> heights = new ArrayList<>();
        for (String row : tsv.split("\n")) {
            String[] columns = row.split("\t", -1);
            if (columns.length < TSV_COLUMNS || !columns[0].equals("5")) {
                continue;
            }
            double confidence = Double.parseDouble(columns[10]);
            if (confidence < 0 || columns[11].isBlank()) {
                continue;
            }
            heights.add(Integer.parseInt(columns[9]));
            lines.computeIfAbsent(columns[1] + "/" + columns[2] + "/" + columns[3] + "/" + columns[4], key -> new ArrayList<>())
                    .add(columns);
        }
        List<OcrText.Line> result = new ArrayList<>(lines.size());
        double total = 0;
        int words = 0;
        for (List<String[]> line : lines.values()) {
            StringBuilder text = new StringBuilder();
            double lineTotal = 0;
            for (String[] word : line) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(word[11].strip());
                lineTotal += Double.parseDouble(word[10]);
            }
            total += lineTotal;
            words += line.size();
            result.add(new OcrText.Line(text.toString(), lineTotal / line.size()));
        }
        heights.sort(null);
        return new OcrText(result, words == 0 ? 0 : total / words, heights.isEmpty() ? 0 : heights.get(heights.size() / 2), elapsed);
    }

    private static String lastLines(String stderr) {
        String trimmed = stderr.strip();
        return trimmed.length() <= 300 ? trimmed : "…" + trimmed.substring(trimmed.length() - 300);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file left behind is removed with the temporary directory.
            }
        }
    }
}
