package io.runnel.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.runnel.wire.error.ClockSkewException;
import io.runnel.wire.error.KinesisServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Taking the service's time from a refusal's {@code Date} header, as the AWS SDKs do. */
class ClockSkewTest {
    private static final Instant LOCAL = Instant.parse("2026-12-06T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(LOCAL, ZoneOffset.UTC);

    private static KinesisServiceException refused(String code) {
        return KinesisServiceException.of(code, "Signature expired: 20261206T030000Z is now earlier than "
                + "20261206T030500Z (20261206T031000Z - 5 min.)", 400, "r-1");
    }

    private static String date(Instant t) {
        return DateFormatter.format(Date.from(t));
    }

    @Test
    void aSignatureRefusedByAServiceTenMinutesAheadIsRetryableAndLaterRequestsUseItsTime() {
        ClockSkew skew = new ClockSkew();
        assertThat(skew.now(CLOCK)).isEqualTo(LOCAL);
        Instant service = LOCAL.plus(Duration.ofMinutes(10));

        KinesisServiceException e = skew.examine(refused("InvalidSignatureException"), date(service), LOCAL,
                LOCAL.plusSeconds(1));

        assertThat(e).isInstanceOfSatisfying(ClockSkewException.class, c -> {
            assertThat(c.isRetryable()).isTrue();
            assertThat(c.errorCode()).isEqualTo("InvalidSignatureException");
            assertThat(c.statusCode()).isEqualTo(400);
            assertThat(c.requestId()).isEqualTo("r-1");
            assertThat(c.skewMillis()).isEqualTo(-600_000);
            assertThat(c).hasMessageContaining("Signature expired").hasMessageContaining("600 s behind");
        });
        // the answer arrived a second after signing: the service is 10 min minus that second ahead
        assertThat(skew.offsetMillis()).isEqualTo(599_000);
        assertThat(skew.now(CLOCK)).isEqualTo(LOCAL.plusSeconds(599));
    }

    @Test
    void aServiceBehindTheLocalClockMovesTheSigningTimeBack() {
        ClockSkew skew = new ClockSkew();
        KinesisServiceException e = skew.examine(refused("RequestInTheFuture"), date(LOCAL.minusSeconds(3600)),
                LOCAL, LOCAL);
        assertThat(e).isInstanceOf(ClockSkewException.class);
        assertThat(skew.now(CLOCK)).isEqualTo(LOCAL.minusSeconds(3600));
    }

    @Test
    void otherRefusalsAndRefusalsWithinFourMinutesOrWithoutADateStayAsTheyAre() {
        ClockSkew skew = new ClockSkew();
        KinesisServiceException denied = refused("AccessDeniedException");
        assertThat(skew.examine(denied, date(LOCAL.plusSeconds(3600)), LOCAL, LOCAL)).isSameAs(denied);
        // a wrong secret key: the service's clock agrees with the request's time
        KinesisServiceException wrongKey = refused("InvalidSignatureException");
        assertThat(skew.examine(wrongKey, date(LOCAL.plusSeconds(239)), LOCAL, LOCAL)).isSameAs(wrongKey);
        assertThat(skew.examine(wrongKey, null, LOCAL, LOCAL)).isSameAs(wrongKey);
        assertThat(skew.examine(wrongKey, "not a date", LOCAL, LOCAL)).isSameAs(wrongKey);
        assertThat(skew.offsetMillis()).isZero();
    }

    @Test
    void aRequestSignedBeforeAnotherCorrectedTheClockIsStillRetryable() {
        ClockSkew skew = new ClockSkew();
        Instant service = LOCAL.plus(Duration.ofMinutes(10));
        skew.examine(refused("InvalidSignatureException"), date(service), LOCAL, LOCAL);
        // a second request in flight was signed with the old time: it goes again too, the offset stays
        assertThat(skew.examine(refused("InvalidSignatureException"), date(service), LOCAL, LOCAL))
                .isInstanceOf(ClockSkewException.class);
        assertThat(skew.offsetMillis()).isEqualTo(600_000);
        // a request signed with the corrected time and refused anyway (a wrong key) is not put down to the clock
        KinesisServiceException wrongKey = refused("InvalidSignatureException");
        assertThat(skew.examine(wrongKey, date(service), skew.now(CLOCK), LOCAL)).isSameAs(wrongKey);
    }
}
