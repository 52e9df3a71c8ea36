package io.jobstream.local;

import java.util.Locale;

/** A one-line text bar: {@code [##########----------]  50%  200/400}. Plain ASCII, so any terminal or log shows it. */
record ProgressBar(int width) {

    ProgressBar {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, was " + width);
        }
    }

    /** {@code done} of {@code total}; more than the total shows as full, and nothing to do counts as done. */
    String render(long done, long total) {
        double fraction = total <= 0 ? 1.0 : Math.clamp((double) done / total, 0.0, 1.0);
        int filled = (int) Math.floor(fraction * width);
        int digits = Long.toString(Math.max(total, 0)).length();
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %" + digits + "d/%d", (int) Math.floor(fraction * 100), done, total);
    }
}
