package io.jobstream.document.ner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobstream.store.document.Mention;

/** The first-name backoff with CoreNLP's own name lists, read from the models jar. */
class FirstNameBackoffTest {

    private final FirstNameBackoff backoff = FirstNameBackoff.fromModelsJar();

    @Test
    void aKnownFirstNameAndASurnameAreAPersonWhereNoModelFoundAnything() {
        String text = "Yesterday Mark Cuban invested $2 million in a Dallas startup.";
        List<Mention> taken = List.of(new Mention("LOCATION", "Dallas", text.indexOf("Dallas"), text.indexOf("Dallas") + 6));

        assertThat(backoff.people(text, taken))
                .containsExactly(new Mention("PERSON", "Mark Cuban", text.indexOf("Mark"), text.indexOf("Mark") + 10));
    }

    @Test
    void capitalizedWordsWithoutAKnownFirstNameOrInsideAnEntityAreLeftAlone() {
        String text = "The Dallas Mavericks met Warren Buffett.";
        List<Mention> buffett = List.of(new Mention("PERSON", "Warren Buffett", text.indexOf("Warren"), text.indexOf("Warren") + 14));

        assertThat(backoff.people(text, buffett)).isEmpty();
        assertThat(backoff.people("Quarterly Revenue Grew in Europe", List.of())).isEmpty();
    }
}
