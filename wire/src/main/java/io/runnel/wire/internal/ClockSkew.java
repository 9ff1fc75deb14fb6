package io.runnel.wire.internal;

import io.netty.handler.codec.DateFormatter;
import io.runnel.wire.error.ClockSkewException;
import io.runnel.wire.error.KinesisServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far this machine's clock is from the service's, learnt from refusals, so that requests are signed with the
 * service's time. AWS refuses a SigV4 signature made more than 5 minutes from its clock (Kinesis: {@code
 * InvalidSignatureException}, "Signature expired" or "Signature not yet current"); a host without time
 * synchronisation (a container, a VM restored from a snapshot, a laptop after sleep) would otherwise have every request
 * refused until its clock is fixed. As the AWS SDKs do: a refusal whose code can mean a signing time the service does
 * not accept, from an answer whose {@code Date} header is at least {@link #THRESHOLD} from the time the request was
 * signed with, sets the offset to that header's time minus the local time it arrived; later requests add the offset.
 * Thread-safe.
 */
public final class ClockSkew {
    private static final Logger LOG = LoggerFactory.getLogger(ClockSkew.class);

    /** How far from the service's time a signature must have been before a refusal is put down to it. */
    static final Duration THRESHOLD = Duration.ofMinutes(4);

    /** The error codes AWS services answer a signing time they do not accept with (some also for other reasons). */
    private static final Set<String> CODES = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "AuthFailure");

    private volatile long offsetMillis; // the service's time minus this machine's

    /** {@return the time to sign a request with: the local clock's plus the offset learnt so far} */
    public Instant now(Clock clock) {
        long offset = offsetMillis;
        Instant local = clock.instant();
        return offset == 0 ? local : local.plusMillis(offset);
    }

    /** {@return the service's time minus this machine's, in milliseconds, as learnt so far (0 at first)} */
    public long offsetMillis() {
        return offsetMillis;
    }

    /**
     * What to throw for a refused request: a {@link ClockSkewException} (retryable) when the refusal was for its
     * signing time ({@link #refusedForItsTime}); otherwise {@code refused} itself.
     *
     * @param refused    the service's error answer
     * @param dateHeader the answer's {@code Date} header, or null
     * @param signedAt   the time the request was signed with
     * @param arrivedAt  the local time the answer arrived
     */
    public KinesisServiceException examine(KinesisServiceException refused, String dateHeader, Instant signedAt,
            Instant arrivedAt) {
        long skew = refusedForItsTime(refused.errorCode(), dateHeader, signedAt, arrivedAt);
        return skew == 0 ? refused : new ClockSkewException(refused, skew);
    }

    /**
     * Whether a refusal was for the request's signing time, as described above, taking the service's time when it
     * was.
     *
     * @param errorCode  the service's error code, or null
     * @param dateHeader the answer's {@code Date} header, or null
     * @param signedAt   the time the request was signed with
     * @param arrivedAt  the local time the answer arrived
     * @return the signing time minus the service's, in milliseconds (at least {@link #THRESHOLD} either way), when
     *         the refusal was for it; 0 when it was not
     */
    public long refusedForItsTime(String errorCode, String dateHeader, Instant signedAt, Instant arrivedAt) {
        if (dateHeader == null || errorCode == null || !CODES.contains(errorCode)) {
            return 0;
        }
        Date serverDate = DateFormatter.parseHttpDate(dateHeader);
        if (serverDate == null) {
            return 0;
        }
        long skew = signedAt.toEpochMilli() - serverDate.getTime();
        if (Math.abs(skew) < THRESHOLD.toMillis()) {
            return 0;
        }
        long offset = serverDate.getTime() - arrivedAt.toEpochMilli();
        long before = offsetMillis;
        offsetMillis = offset;
        if (Math.abs(offset - before) >= THRESHOLD.toMillis()) {
            LOG.warn("The service refused a request signed at {} for its time ({}); its clock said {}, {} s {} this "
                    + "machine's. Requests are signed with the service's time from now on; keep the clock in sync "
                    + "(NTP).", signedAt, errorCode, serverDate.toInstant(), Math.abs(offset) / 1000,
                    offset > 0 ? "ahead of" : "behind");
        }
        return skew;
    }
}
