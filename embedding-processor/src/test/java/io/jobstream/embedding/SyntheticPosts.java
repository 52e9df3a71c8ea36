package io.jobstream.embedding;

/** Varied, realistic-looking post texts, generated so tests need no data download. */
final class SyntheticPosts {

    private static final String[] SUBJECTS = {"Our new espresso grinder", "The city marathon", "A beginner's guide to React hooks",
            "This week's farmers market", "The electric bike I bought", "My sourdough starter", "The quarterly sales report",
            "A hike through the Dolomites", "Learning Spanish with podcasts", "The indie game I finished"};
    private static final String[] OPINIONS = {"turned out better than expected", "was a complete disappointment",
            "taught me something about patience", "is worth every cent", "needs a few more iterations",
            "surprised everyone at the office", "changed how I plan my mornings", "was harder than the reviews said"};
    private static final String[] DETAILS = {"The details matter more than the price.", "I would do it again next spring.",
            "Ask me anything in the comments.", "Photos are in the gallery below.", "Thanks to everyone who helped out.",
            "Next time I will bring a friend.", "The community around it is fantastic.", "It took three attempts to get right."};

    private SyntheticPosts() {
    }

    static String text(int i) {
        return SUBJECTS[i % SUBJECTS.length] + " " + OPINIONS[(i / SUBJECTS.length) % OPINIONS.length] + ". "
                + DETAILS[(i / 7) % DETAILS.length] + " (#" + i + ")";
    }
}
