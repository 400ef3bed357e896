package dev.webhookhub.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses the hub may send to on behalf of API-supplied URLs (outbound endpoints, Slack/Teams/webhook
 * notification URLs). Refused by default: private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback, link-local
 * (169.254/16 with the cloud metadata service, fe80::/10), unspecified, multicast, CGNAT 100.64/10, other reserved
 * blocks, IPv4 addresses embedded in IPv6 (mapped, compatible, NAT64, 6to4) of those, and this machine's own
 * addresses. Networks listed in {@code hub.outbound.allowed-networks} are allowed whatever else they are.
 * <p>
 * Host names are resolved here, and numeric forms a C resolver would accept ({@code 2130706433}, {@code 0x7f000001},
 * {@code 017700000001}, {@code 127.1}) are read as such, so the check is made on the address connected to: the
 * outbound HTTP client resolves through {@link #resolve} (a DNS answer that changes after the API check cannot get
 * past it), and the API checks the same way when an endpoint or setting is saved.
 */
public final class DestinationPolicy {

    /** Looks a host name up (the system resolver by default; tests inject their own). */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private record Refused(NetworkRange range, String what) {
    }

    private static final List<Refused> REFUSED = List.of(
            refused("0.0.0.0/8", "an unspecified (this-network) address"),
            refused("10.0.0.0/8", "a private address"),
            refused("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
            refused("127.0.0.0/8", "a loopback address"),
            refused("169.254.0.0/16", "a link-local address"),
            refused("172.16.0.0/12", "a private address"),
            refused("192.0.0.0/24", "a reserved (IETF protocol) address"),
            refused("192.168.0.0/16", "a private address"),
            refused("198.18.0.0/15", "a reserved (benchmarking) address"),
            refused("224.0.0.0/4", "a multicast address"),
            refused("240.0.0.0/4", "a reserved or broadcast address"),
            refused("::/128", "an unspecified address"),
            refused("::1/128", "a loopback address"),
            refused("100::/64", "a discard-only address"),
            refused("fc00::/7", "a private (unique local) address"),
            refused("fe80::/10", "a link-local address"),
            refused("fec0::/10", "a site-local address"),
            refused("ff00::/8", "a multicast address"));

    private static final Pattern NUMERIC_HOST = Pattern.compile(
            "(0[xX][0-9a-fA-F]*|[0-9]+)(\\.(0[xX][0-9a-fA-F]*|[0-9]+)){0,3}");
    private static final long LOCAL_ADDRESSES_TTL_NANOS = 60_000_000_000L;

    private final List<NetworkRange> allowed;
    private final Lookup lookup;
    private volatile Set<InetAddress> localAddresses = Set.of();
    private volatile long localAddressesAt;

    public DestinationPolicy(List<NetworkRange> allowed, Lookup lookup) {
        this.allowed = List.copyOf(allowed);
        this.lookup = lookup;
    }

    /** The policy of a {@code hub.outbound.allowed-networks} value (comma-separated CIDRs), with the system DNS. */
    public static DestinationPolicy of(String allowedNetworks) {
        return new DestinationPolicy(NetworkRange.parseList(allowedNetworks), InetAddress::getAllByName);
    }

    public List<NetworkRange> allowedNetworks() {
        return allowed;
    }

    /** Why the address is refused, or null when the hub may connect to it. */
    public String refusal(InetAddress address) {
        for (NetworkRange r : allowed) {
            if (r.contains(address)) {
                return null;
            }
        }
        String why = refusedAs(address);
        if (why == null && localAddresses().contains(address)) {
            why = "an address of the hub's own machine";
        }
        return why == null ? null : address.getHostAddress() + " is " + why;
    }

    private static String refusedAs(InetAddress address) {
        for (Refused r : REFUSED) {
            if (r.range().contains(address)) {
                return r.what();
            }
        }
        if (address instanceof Inet6Address) {
            byte[] v4 = embeddedIpv4(address.getAddress());
            if (v4 != null) {
                try {
                    String inner = refusedAs(InetAddress.getByAddress(v4));
                    return inner == null ? null : inner + " embedded in IPv6";
                } catch (UnknownHostException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte[] embeddedIpv4(byte[] a) {
        boolean zeros96 = true;
        for (int i = 0; i < 12; i++) {
            zeros96 &= a[i] == 0;
        }
        boolean nat64 = a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = a[i] == 0;
        }
        if (zeros96 || nat64) {
            return new byte[] { a[12], a[13], a[14], a[15] };
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return new byte[] { a[2], a[3], a[4], a[5] };
        }
        return null;
    }

    /**
     * Every address of the host, numeric forms read as a C resolver reads them, names looked up. Throws
     * {@link UnknownHostException} when a name does not resolve, {@link RefusedDestinationException} for a numeric
     * form that is no address.
     */
    public InetAddress[] addresses(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        while (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        if (NUMERIC_HOST.matcher(h).matches()) {
            byte[] v4 = numericIpv4(h);
            if (v4 == null) {
                throw new RefusedDestinationException(host + " is not a valid IPv4 address");
            }
            return new InetAddress[] { InetAddress.getByAddress(v4) };
        }
        if (h.contains(":")) {
            return new InetAddress[] { InetAddress.getByName(h) }; // an IPv6 literal: parsed, never looked up
        }
        return lookup.lookup(h);
    }

    /**
     * For the HTTP client's resolver: the host's addresses the hub may connect to. Throws
     * {@link RefusedDestinationException} when there is none, naming the first refused address and why.
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] all = addresses(host);
        List<InetAddress> ok = new ArrayList<>();
        String first = null;
        for (InetAddress a : all) {
            String why = refusal(a);
            if (why == null) {
                ok.add(a);
            } else if (first == null) {
                first = why;
            }
        }
        if (ok.isEmpty()) {
            throw new RefusedDestinationException(refusedMessage(host, first));
        }
        return ok.toArray(new InetAddress[0]);
    }

    /**
     * For the API: why the URL's host is refused (it is a refused address, or resolves to one), or null. A name
     * that does not resolve now passes: it is checked again on every connection.
     */
    public String check(String url) {
        String host;
        try {
            URI u = new URI(url);
            host = u.getHost();
            if (host == null && u.getRawAuthority() != null) {
                // a registry-based authority Java will not call a host (127.1, say): judge it all the same
                host = u.getRawAuthority().substring(u.getRawAuthority().lastIndexOf('@') + 1)
                        .replaceFirst(":[0-9]*$", "");
            }
        } catch (URISyntaxException e) {
            return null; // the URL check answers for that
        }
        if (host == null || host.isEmpty()) {
            return null;
        }
        InetAddress[] all;
        try {
            all = addresses(host);
        } catch (RefusedDestinationException e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return null;
        }
        for (InetAddress a : all) {
            String why = refusal(a);
            if (why != null) {
                return refusedMessage(host, why);
            }
        }
        return null;
    }

    private String refusedMessage(String host, String why) {
        String h = host.toLowerCase(Locale.ROOT);
        return (h.equals(why.substring(0, why.indexOf(' '))) ? "" : host + ": ") + why
                + "; the hub sends only to public addresses unless the network is listed in "
                + "HUB_OUTBOUND_ALLOWED_NETWORKS";
    }

    /** inet_aton: a, a.b, a.b.c or a.b.c.d, each part decimal, octal (leading 0) or hex (0x); null when invalid. */
    static byte[] numericIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].toLowerCase(Locale.ROOT);
            try {
                if (p.startsWith("0x")) {
                    v[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    v[i] = Long.parseLong(p.substring(1), 8);
                } else {
                    v[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return null; // too long, or 8/9 in an octal part
            }
        }
        long value = 0;
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] > 0xFF) {
                return null;
            }
            value = value << 8 | v[i];
        }
        int lastBits = 8 * (5 - v.length);
        long last = v[v.length - 1];
        if (last >= 1L << lastBits) {
            return null;
        }
        value = value << lastBits | last;
        return new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
    }

    private Set<InetAddress> localAddresses() {
        long now = System.nanoTime();
        if (localAddressesAt == 0 || now - localAddressesAt > LOCAL_ADDRESSES_TTL_NANOS) {
            Set<InetAddress> found = new HashSet<>();
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    found.addAll(Collections.list(ni.getInetAddresses()).stream()
                            .map(DestinationPolicy::withoutScope).toList());
                }
            } catch (SocketException | RuntimeException e) {
                // keep what was known
                found = new HashSet<>(localAddresses);
            }
            localAddresses = Set.copyOf(found);
            localAddressesAt = now == 0 ? 1 : now;
        }
        return localAddresses;
    }

    private static InetAddress withoutScope(InetAddress a) {
        if (a instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(a.getAddress());
            } catch (UnknownHostException e) {
                return a;
            }
        }
        return a;
    }

    /** For logs: the allowed networks, or "none". */
    public String describe() {
        return allowed.isEmpty() ? "none (public addresses only)" : allowed.toString();
    }

    private static Refused refused(String cidr, String what) {
        return new Refused(NetworkRange.parse(cidr), what);
    }
}
