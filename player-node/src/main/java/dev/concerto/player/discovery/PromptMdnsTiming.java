package dev.concerto.player.discovery;

import java.net.InetAddress;
import java.util.Timer;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.tasks.RecordReaper;
import javax.jmdns.impl.tasks.Responder;
import javax.jmdns.impl.tasks.resolver.ServiceInfoResolver;
import javax.jmdns.impl.tasks.resolver.ServiceResolver;
import javax.jmdns.impl.tasks.resolver.TypeResolver;
import javax.jmdns.impl.tasks.state.Announcer;
import javax.jmdns.impl.tasks.state.Canceler;
import javax.jmdns.impl.tasks.state.Prober;
import javax.jmdns.impl.tasks.state.Renewer;

/**
 * jmDNS's task starter with RFC 6762's probing and announcing times, so that a player is listed
 * about a second after it starts rather than four, and a cache reaped every second, so that a
 * player that said goodbye leaves a director's list within about two seconds rather than eleven.
 *
 * <p>Why: jmDNS 3.6.5 probes at 250 ms intervals only once its host name has been announced; a
 * new instance (a starting player, whose service is registered at once) probes host and service
 * at its 1 s "conflict" interval (3 probes: 3 s), and then waits another 1 s before its first
 * announcement: a director saw a new player about 4 s after it started. RFC 6762 §8.1 asks for
 * probes 250 ms apart after a random 0–250 ms delay, the first announcement 250 ms after the third
 * probe when no conflict was heard (§8.1, §8.3), the second one second later. This starter does
 * exactly that, keeping jmDNS's rate limit (after {@value DNSConstants#PROBE_THROTTLE_COUNT} probing starts within
 * {@value DNSConstants#PROBE_THROTTLE_COUNT_INTERVAL} ms, probes are 1 s apart, as §8.1 allows
 * after conflicts). A goodbye (a record with TTL 0) is kept one more second (§10.1) and then removed
 * by jmDNS's record reaper, which runs every {@value DNSConstants#RECORD_REAPER_INTERVAL} ms; only
 * then does a browser hear "removed". This starter runs the reaper every
 * {@value #REAP_EVERY_MILLIS} ms (it only walks the cache). Every other task is jmDNS's own,
 * started on the same two timers as jmDNS's default starter (state tasks on one timer, so they
 * never run at once).
 *
 * <p>Installed for the process through jmDNS's own extension point
 * ({@link DNSTaskStarter.Factory#setClassDelegate}) by {@link #install()}, before the first
 * {@code JmDNS.create} (the player's advertiser and the director's browser both call it); one
 * instance per jmDNS instance, owned by it.
 */
public final class PromptMdnsTiming implements DNSTaskStarter {

    /** How often expired records (goodbyes among them) are removed from the cache, ms. */
    static final long REAP_EVERY_MILLIS = 1_000;

    private final JmDNSImpl dns;
    private final Timer timer;
    private final Timer stateTimer;

    private PromptMdnsTiming(JmDNSImpl dns) {
        this.dns = dns;
        this.timer = new DNSTaskStarter.DNSTaskStarterImpl.StarterTimer("JmDNS(" + dns.getName() + ").Timer", true);
        this.stateTimer = new DNSTaskStarter.DNSTaskStarterImpl.StarterTimer("JmDNS(" + dns.getName() + ").State.Timer",
                true);
    }

    /** Makes every jmDNS instance created from now on in this process use this starter. Idempotent. */
    public static void install() {
        DNSTaskStarter.Factory.setClassDelegate(PromptMdnsTiming::new);
    }

    @Override
    public void purgeTimer() {
        timer.purge();
    }

    @Override
    public void purgeStateTimer() {
        stateTimer.purge();
    }

    @Override
    public void cancelTimer() {
        timer.cancel();
    }

    @Override
    public void cancelStateTimer() {
        stateTimer.cancel();
    }

    @Override
    public void startProber() {
        new Prober(dns) {
            @Override
            public void start(Timer t) {
                // jmDNS's throttle, without its "not announced yet: 1 s" branch.
                long now = System.currentTimeMillis();
                if (now - dns.getLastThrottleIncrement() < DNSConstants.PROBE_THROTTLE_COUNT_INTERVAL) {
                    dns.setThrottle(dns.getThrottle() + 1);
                } else {
                    dns.setThrottle(1);
                }
                dns.setLastThrottleIncrement(now);
                if (dns.isCanceling() || dns.isCanceled()) {
                    return;
                }
                if (dns.getThrottle() < DNSConstants.PROBE_THROTTLE_COUNT) {
                    t.schedule(this, JmDNSImpl.getRandom().nextInt(1 + DNSConstants.PROBE_WAIT_INTERVAL),
                            DNSConstants.PROBE_WAIT_INTERVAL);
                } else {
                    t.schedule(this, DNSConstants.PROBE_CONFLICT_INTERVAL, DNSConstants.PROBE_CONFLICT_INTERVAL);
                }
            }
        }.start(stateTimer);
    }

    @Override
    public void startAnnouncer() {
        new Announcer(dns) {
            @Override
            public void start(Timer t) {
                if (!dns.isCanceling() && !dns.isCanceled()) {
                    // First when no conflict came back within 250 ms of the third probe, then 1 s apart.
                    t.schedule(this, DNSConstants.PROBE_WAIT_INTERVAL, DNSConstants.ANNOUNCE_WAIT_INTERVAL);
                }
            }
        }.start(stateTimer);
    }

    @Override
    public void startRenewer() {
        new Renewer(dns).start(stateTimer);
    }

    @Override
    public void startCanceler() {
        new Canceler(dns).start(stateTimer);
    }

    @Override
    public void startReaper() {
        new RecordReaper(dns) {
            @Override
            public void start(Timer t) {
                if (!dns.isCanceling() && !dns.isCanceled()) {
                    t.schedule(this, REAP_EVERY_MILLIS, REAP_EVERY_MILLIS);
                }
            }
        }.start(timer);
    }

    @Override
    public void startServiceInfoResolver(ServiceInfoImpl info) {
        new ServiceInfoResolver(dns, info).start(timer);
    }

    @Override
    public void startTypeResolver() {
        new TypeResolver(dns).start(timer);
    }

    @Override
    public void startServiceResolver(String type) {
        new ServiceResolver(dns, type).start(timer);
    }

    @Override
    public void startResponder(DNSIncoming in, InetAddress address, int port) {
        new Responder(dns, in, address, port).start(timer);
    }
}
