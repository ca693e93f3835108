package io.timesync.probe;

import io.timesync.testing.Loopback;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up runs, and every one of its probe exchanges is answered, before a run reads its first clock. */
class WarmUpTest {

    @Test
    void everyWarmUpProbeExchangeIsAnsweredBeforeTheRunReadsItsClocks() throws Exception {
        AtomicInteger answeredAtFirstRead = new AtomicInteger(-1);
        TimeSource recording = new TimeSource() {
            @Override
            public long wallClockNanos() {
                answeredAtFirstRead.compareAndSet(-1, WarmUp.probeExchangesAnswered());
                return TimeSource.system().wallClockNanos();
            }

            @Override
            public long monotonicNanos() {
                answeredAtFirstRead.compareAndSet(-1, WarmUp.probeExchangesAnswered());
                return TimeSource.system().monotonicNanos();
            }
        };
        int closed = Loopback.freeUdpPort(false);
        ProbeRunner runner = new ProbeRunner(ProbeOptions.defaults().withSamples(1), recording, HostResolver.system(),
                new SecureRandom());
        runner.probe(List.of(new ServerAddress("127.0.0.1", closed)));
        assertThat(answeredAtFirstRead.get()).isEqualTo(WarmUp.PROBE_EXCHANGES);
    }
}
