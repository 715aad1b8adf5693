package io.flinkruler.swift;

import java.util.Locale;
import java.util.Map;

/** One buffered HTTP answer; header names are lower-case. Bodies are small here (rule files, listing pages). */
record SwiftResponse(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
