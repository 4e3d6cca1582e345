package sip

import "strings"

// Character classes of RFC 3261 §25.1, as bits of one table.
const (
	cToken      uint16 = 1 << iota // token
	cUnres                         // unreserved: alphanum / mark
	cUserUnres                     // user-unreserved
	cPassword                      // password: the non-unreserved ones
	cParamUnres                    // param-unreserved
	cHnvUnres                      // hnv-unreserved
	cWord                          // word (Call-ID)
	cHost                          // hostname, IPv4 and (bracketed) IPv6 characters
	cScheme                        // scheme after its first letter
)

var chars = func() (t [256]uint16) {
	set := func(class uint16, s string) {
		for i := 0; i < len(s); i++ {
			t[s[i]] |= class
		}
	}
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	set(cToken|cUnres|cWord|cHost|cScheme, alnum)
	set(cToken, "-.!%*_+`'~")
	set(cUnres, "-_.!~*'()")
	set(cUserUnres, "&=+$,;?/")
	set(cPassword, "&=+$,")
	set(cParamUnres, "[]/:&+$")
	set(cHnvUnres, "[]/?:+$")
	set(cWord, "-.!%*_+`'~()<>:\\\"/[]?{}")
	set(cHost, "-.:[]")
	set(cScheme, "+-.")
	return t
}()

func is(c byte, class uint16) bool { return chars[c]&class != 0 }

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !is(s[i], cToken) {
			return false
		}
	}
	return true
}

func isWS(c byte) bool { return c == ' ' || c == '\t' }

// trimWS trims spaces and tabs on both sides.
func trimWS(s string) string {
	i, j := 0, len(s)
	for i < j && isWS(s[i]) {
		i++
	}
	for j > i && isWS(s[j-1]) {
		j--
	}
	return s[i:j]
}

func skipWS(s string) string {
	i := 0
	for i < len(s) && isWS(s[i]) {
		i++
	}
	return s[i:]
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// validEscaped reports whether s consists of characters of class or
// %HEXHEX escapes.
func validEscaped(s string, class uint16) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case !is(c, class):
			return false
		}
	}
	return true
}

// equalFold compares ASCII strings case-insensitively without allocating.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
			return false
		}
	}
	return true
}

// atoi parses a non-empty decimal number of at most max; leading zeros are
// allowed (RFC 4475 wsinv). It reports false on anything else.
func atoi(s string, max uint64) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		if n > max {
			return 0, false
		}
	}
	return n, true
}

// quotedEnd returns the index just past the closing quote of the quoted
// string that s starts with, or -1 if it is not terminated.
func quotedEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// indexOutsideQuotes returns the index of the first c in s that is not
// inside a quoted string or angle brackets, or -1.
func indexOutsideQuotes(s string, c byte) int {
	i := strings.IndexByte(s, c)
	if i < 0 {
		return -1
	}
	if strings.IndexByte(s[:i], '"') < 0 && strings.IndexByte(s[:i], '<') < 0 {
		return i // the common case: nothing quoted before it
	}
	angle := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			e := quotedEnd(s[i:])
			if e < 0 {
				return -1
			}
			i += e - 1
		case '<':
			angle = true
		case '>':
			angle = false
		case c:
			if !angle {
				return i
			}
		}
	}
	return -1
}

// Unescape decodes %HEXHEX escapes (RFC 3261 §19.1.2).
func Unescape(s string) (string, error) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", &SyntaxError{What: "escape", Value: s}
			}
			n++
			i += 2
		}
	}
	if n == 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s)-2*n)
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b), nil
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// Escape encodes the characters of s outside class (and '%') as %HEXHEX.
func escape(s string, class uint16) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !is(s[i], class) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if is(c, class) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

// EscapeUser escapes a URI user part (RFC 3261 §25.1: unreserved and
// user-unreserved characters stay as they are).
func EscapeUser(s string) string { return escape(s, cUnres|cUserUnres) }
