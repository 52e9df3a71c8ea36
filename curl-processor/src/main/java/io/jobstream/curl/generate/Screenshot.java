package io.jobstream.curl.generate;

/** A page's screenshot as the curl job names it. */
public record Screenshot(byte[] image, String contentType, String pageUrl, String pageTitle) {
}
