package io.timesync.unix;

import io.timesync.correct.Corrector;
import io.timesync.platform.AgentInstaller;
import io.timesync.platform.Host;
import io.timesync.platform.Platform;
import io.timesync.platform.ServiceDiagnosis;
import io.timesync.platform.ServicePeers;
import io.timesync.platform.ServiceRequest;
import io.timesync.platform.ServiceSetup;
import io.timesync.platform.ServiceState;
import io.timesync.platform.SetupRefusal;
import io.timesync.platform.SetupRequest;
import io.timesync.probe.Probe;
import io.timesync.unix.service.ServiceInstaller;
import io.timesync.unix.setup.UnixServiceSetup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** What Linux and macOS share: their time services (chrony, ntpd, timesyncd, timed) and schedulers. */
abstract class UnixPlatform implements Platform {

    @Override
    public boolean privileged(String userName) {
        return "root".equals(userName);
    }

    @Override
    public Corrector corrector(Host host, ServiceRequest request) throws IOException, InterruptedException {
        return new UnixTimeServices(host, request.root()).corrector(request);
    }

    @Override
    public Optional<Probe> serviceProbe(Host host, ServiceRequest request) throws IOException, InterruptedException {
        return new UnixTimeServices(host, request.root()).serviceProbe(request.service());
    }

    @Override
    public Optional<ServicePeers> peers(Host host, ServiceRequest request) throws IOException, InterruptedException {
        return Optional.of(new UnixTimeServices(host, request.root()).peers(request.service()));
    }

    @Override
    public ServiceState serviceState(Host host, Path root) throws InterruptedException {
        return new UnixTimeServices(host, root).state();
    }

    /** No wrapper: systemd, cron and launchd run TimeSync themselves. */
    @Override
    public AgentInstaller installer(Host host, Path root, Path wrapper) {
        return new UnixAgentInstaller(new ServiceInstaller(root, host.runner()));
    }

    @Override
    public ServiceDiagnosis diagnose(Host host, Path root) throws InterruptedException {
        return UnixDiagnostics.diagnose(host, root);
    }

    /** A time service installed with the system's package manager, enabled and started with its init system. */
    @Override
    public ServiceSetup setup(Host host, SetupRequest request) throws SetupRefusal, InterruptedException {
        return new UnixServiceSetup(host).plan(request, name());
    }

    @Override
    public boolean serviceActive(Host host, Path root, String service) throws InterruptedException {
        return new UnixServiceSetup(host).active(root, service);
    }
}
