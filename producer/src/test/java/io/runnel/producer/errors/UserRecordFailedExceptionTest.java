package io.runnel.producer.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.producer.Attempt;
import io.runnel.producer.UserRecordResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserRecordFailedExceptionTest {
    @Test
    void carriesTheResultAndCostsNoStackTrace() {
        UserRecordResult result = UserRecordResult.failure(List.of(Attempt.failure(Duration.ZERO, Duration.ZERO,
                "Expired", "Record has reached expiration")));
        RecordExpiredException e = new RecordExpiredException("record expired after 30000 ms", result);
        assertThat(e).isInstanceOf(UserRecordFailedException.class).isInstanceOf(ProducerException.class);
        assertThat(e.result()).isSameAs(result);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(new RecordRejectedException("no", result).result().lastAttempt().errorCode()).isEqualTo("Expired");
    }

    @Test
    void configExceptionListsEveryProblem() {
        ConfigException e = new ConfigException(List.of(new ConfigException.Problem("A", "1", "bad"),
                new ConfigException.Problem("B", null, "missing")));
        assertThat(e.getMessage()).contains("(2 problems)", "A=1: bad", "B: missing");
        assertThat(e.key()).isEqualTo("A");
        assertThat(e.value()).isEqualTo("1");
    }
}
