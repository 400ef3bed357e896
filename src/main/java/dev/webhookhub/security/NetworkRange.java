package dev.webhookhub.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One CIDR block, IPv4 ({@code 10.0.0.0/8}) or IPv6 ({@code fc00::/7}); a bare address is a /32 or /128. */
public record NetworkRange(byte[] network, int prefix, String text) {

    /** Parses a CIDR block; only numeric addresses (no host names). */
    public static NetworkRange parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        if (addr.isEmpty() || !(addr.contains(":") || addr.matches("[0-9.]+") && addr.split("\\.", -1).length == 4)) {
            throw new IllegalArgumentException("not a CIDR block: '" + cidr + "' (e.g. 10.0.0.0/8 or fd00::/8)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a CIDR block: '" + cidr + "'", e);
        }
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR block: '" + cidr + "'", e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix out of range in '" + cidr + "'");
        }
        return new NetworkRange(mask(bytes, prefix), prefix, s.toLowerCase(Locale.ROOT));
    }

    /** A comma-separated list of CIDR blocks; blank gives none. */
    public static List<NetworkRange> parseList(String list) {
        List<NetworkRange> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return out;
    }

    /** Whether the address (of the same family) is inside the block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        byte[] masked = mask(address, prefix);
        return java.util.Arrays.equals(masked, network);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (bits == 0 ? 0 : (0xFF << (8 - bits)) & 0xFF));
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
