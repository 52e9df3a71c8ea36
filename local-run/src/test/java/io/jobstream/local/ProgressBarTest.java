package io.jobstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ProgressBar bar = new ProgressBar(10);

    @Test
    void emptyHalfAndFull() {
        assertThat(bar.render(0, 400)).isEqualTo("[----------]   0%    0/400");
        assertThat(bar.render(200, 400)).isEqualTo("[#####-----]  50%  200/400");
        assertThat(bar.render(400, 400)).isEqualTo("[##########] 100%  400/400");
    }

    @Test
    void roundsDownSoOnlyDoneIsFull() {
        assertThat(bar.render(399, 400)).isEqualTo("[#########-]  99%  399/400");
    }

    @Test
    void moreThanTheTotalShowsFullAndNothingToDoCountsAsDone() {
        assertThat(bar.render(450, 400)).startsWith("[##########] 100%");
        assertThat(bar.render(0, 0)).startsWith("[##########] 100%");
    }

    @Test
    void keepsItsWidthWhateverTheCount() {
        assertThat(bar.render(7, 420)).hasSameSizeAs(bar.render(420, 420));
    }

    @Test
    void rejectsANonPositiveWidth() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ProgressBar(0));
    }
}
