package io.jobstream.test;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/** API reference pages drawn with Java2D, as a browser's screenshot of them would look, encoded as PNG. */
public final class ApiPageScreenshots {

    private ApiPageScreenshots() {
    }

    /** One endpoint of a drawn page. */
    public record Endpoint(String description, String method, String url, List<String> headers, List<String> body) {
    }

    /** The page of the example: list users, with an auth header and a JSON body. */
    public static Endpoint listUsers() {
        return new Endpoint("List the users of your workspace", "GET", "https://api.example.com/v1/users?limit=10",
                List.of("Authorization: Bearer sk_test_123", "Accept: application/json"),
                List.of("{", "  \"role\": \"admin\",", "  \"active\": true", "}"));
    }

    /** In a large (28 px) monospaced font: as clear as a screenshot gets. */
    public static byte[] page(String title, List<Endpoint> endpoints) {
        return page(title, endpoints, new Font(Font.MONOSPACED, Font.PLAIN, 28));
    }

    public static byte[] page(String title, List<Endpoint> endpoints, Font font) {
        List<String> lines = new ArrayList<>();
        lines.add(title);
        lines.add("");
        for (Endpoint endpoint : endpoints) {
            lines.add(endpoint.description());
            lines.add(endpoint.method() + " " + endpoint.url());
            lines.add("");
            lines.add("Headers");
            lines.addAll(endpoint.headers());
            if (!endpoint.body().isEmpty()) {
                lines.add("");
                lines.add("Request body");
                lines.addAll(endpoint.body());
            }
            lines.add("");
        }
        return png(lines, font);
    }

    /** Black text on white, lines 1.5 font sizes apart. */
    private static byte[] png(List<String> lines, Font font) {
        int lineHeight = font.getSize() * 3 / 2;
        BufferedImage image = new BufferedImage(font.getSize() * 50, 60 + lineHeight * lines.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
            graphics.setColor(Color.BLACK);
            graphics.setFont(font);
            for (int i = 0; i < lines.size(); i++) {
                graphics.drawString(lines.get(i), 40, 20 + font.getSize() + i * lineHeight);
            }
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
