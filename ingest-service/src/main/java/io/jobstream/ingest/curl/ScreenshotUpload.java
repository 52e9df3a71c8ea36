package io.jobstream.ingest.curl;

/** One screenshot of a request, with the page it shows and the media type detected from its bytes. */
record ScreenshotUpload(String fileName, String mediaType, byte[] content, String pageUrl, String pageTitle) {
}
