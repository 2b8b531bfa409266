package main

// How trace values (JSON, with peerspec's tags) become arguments of Pion's typed Go API. README.md has the table.

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	webrtc "github.com/pion/webrtc"
)

// cannotExpress: the argument has a value Pion's typed API cannot take; the step is notImplemented.
type cannotExpress struct{ what string }

func (e *cannotExpress) Error() string { return "Pion's API cannot express " + e.what }

func cannot(format string, args ...interface{}) error {
	return &cannotExpress{fmt.Sprintf(format, args...)}
}

// harnessError: the runner itself could not prepare the step (an invalid tag, a helper peer that failed).
type harnessError struct{ msg string }

func (e *harnessError) Error() string { return e.msg }

func harness(format string, args ...interface{}) error {
	return &harnessError{fmt.Sprintf(format, args...)}
}

// Decoded trace values: JSON values (map[string]interface{}, []interface{}, string, json.Number, bool, nil),
// plus the tags' values below.
type jsUndefined struct{}

// jsNumber is NaN, Infinity or -Infinity.
type jsNumber struct{ text string }

type certificateRef struct {
	name string
	cert *webrtc.Certificate
}

// parseJSON reads a JSON value keeping numbers as written (json.Number).
func parseJSON(raw json.RawMessage) (interface{}, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// onlyKey: the key of a one-member object, if v is one.
func onlyKey(v interface{}) (string, interface{}, bool) {
	m, ok := v.(map[string]interface{})
	if !ok || len(m) != 1 {
		return "", nil, false
	}
	for k, x := range m {
		return k, x, true
	}
	return "", nil, false
}

// decode replaces the tags of a trace value by what they stand for.
func (s *session) decode(v interface{}) (interface{}, error) {
	switch x := v.(type) {
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			d, err := s.decode(e)
			if err != nil {
				return nil, err
			}
			out[i] = d
		}
		return out, nil
	case map[string]interface{}:
		if key, tag, ok := onlyKey(x); ok {
			switch key {
			case "$js":
				switch tag {
				case "undefined":
					return jsUndefined{}, nil
				case "NaN", "Infinity", "-Infinity":
					return jsNumber{tag.(string)}, nil
				}
				return nil, harness("unknown $js tag: %s", describe(tag))
			case "$certificate":
				name, _ := tag.(string)
				cert, found := s.certs[name]
				if !found {
					return nil, harness("unknown certificate name: %s", describe(tag))
				}
				return certificateRef{name, cert}, nil
			case "$sdp":
				switch tag {
				case "last-offer":
					return s.lastOffer, nil
				case "last-answer":
					return s.lastAnswer, nil
				}
				return nil, harness("unknown $sdp tag: %s", describe(tag))
			}
		}
		if _, remote := x["$remote"]; remote {
			return nil, harness("a $remote tag is only setRemoteDescription's description")
		}
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			d, err := s.decode(e)
			if err != nil {
				return nil, err
			}
			out[k] = d
		}
		return out, nil
	}
	return v, nil
}

// describe names a decoded value's kind for a notImplemented message.
func describe(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case json.Number:
		return "the number " + x.String()
	case string:
		return "a string"
	case []interface{}:
		return "a list"
	case map[string]interface{}:
		return "an object"
	case jsUndefined:
		return "undefined"
	case jsNumber:
		return "the number " + x.text
	case certificateRef:
		return "a certificate"
	}
	return fmt.Sprintf("%T", v)
}

func isUndefined(v interface{}) bool {
	_, ok := v.(jsUndefined)
	return ok
}

// member: a dictionary member's value; absent members read as undefined.
func member(m map[string]interface{}, key string) interface{} {
	if v, ok := m[key]; ok {
		return v
	}
	return jsUndefined{}
}

// toConfiguration: RTCConfiguration -> webrtc.Configuration. Members the spec does not define are ignored, as
// WebIDL ignores them; absent and undefined members leave the field at its zero value.
func toConfiguration(v interface{}) (webrtc.Configuration, error) {
	var c webrtc.Configuration
	if isUndefined(v) {
		return c, nil
	}
	m, ok := v.(map[string]interface{})
	if !ok {
		return c, cannot("a configuration that is %s (webrtc.Configuration is a struct)", describe(v))
	}
	var err error
	if c.ICEServers, err = toICEServers(member(m, "iceServers")); err != nil {
		return c, err
	}
	if x := member(m, "iceTransportPolicy"); !isUndefined(x) {
		s, ok := x.(string)
		if !ok {
			return c, cannot("iceTransportPolicy as %s (webrtc.ICETransportPolicy is parsed from a string)", describe(x))
		}
		c.ICETransportPolicy = webrtc.NewICETransportPolicy(s)
	}
	if x := member(m, "bundlePolicy"); !isUndefined(x) {
		if err := parseEnum(&c.BundlePolicy, "bundlePolicy", x); err != nil {
			return c, err
		}
	}
	if x := member(m, "rtcpMuxPolicy"); !isUndefined(x) {
		if err := parseEnum(&c.RTCPMuxPolicy, "rtcpMuxPolicy", x); err != nil {
			return c, err
		}
	}
	if x := member(m, "certificates"); !isUndefined(x) {
		list, ok := x.([]interface{})
		if !ok {
			return c, cannot("certificates as %s ([]webrtc.Certificate)", describe(x))
		}
		for _, e := range list {
			ref, ok := e.(certificateRef)
			if !ok {
				return c, cannot("a certificate that is %s (webrtc.Certificate comes from GenerateCertificate)", describe(e))
			}
			c.Certificates = append(c.Certificates, *ref.cert)
		}
	}
	if x := member(m, "iceCandidatePoolSize"); !isUndefined(x) {
		n, ok := x.(json.Number)
		if !ok {
			return c, cannot("iceCandidatePoolSize as %s (uint8)", describe(x))
		}
		f, err := strconv.ParseFloat(n.String(), 64)
		if err != nil || f != math.Trunc(f) || f < 0 || f > math.MaxUint8 {
			return c, cannot("iceCandidatePoolSize %s (uint8 holds the integers 0 to 255)", n.String())
		}
		c.ICECandidatePoolSize = uint8(f)
	}
	return c, nil
}

// parseEnum goes through the enum type's own JSON parser (Pion's newBundlePolicy etc. are unexported): an
// unknown string becomes Pion's Unknown value.
func parseEnum(target json.Unmarshaler, name string, v interface{}) error {
	s, ok := v.(string)
	if !ok {
		return cannot("%s as %s (Pion's enum types are parsed from a string)", name, describe(v))
	}
	data, err := json.Marshal(s)
	if err == nil {
		err = target.UnmarshalJSON(data)
	}
	if err != nil {
		return harness("Pion's %s parser failed on %q: %v", name, s, err)
	}
	return nil
}

func toICEServers(v interface{}) ([]webrtc.ICEServer, error) {
	if isUndefined(v) {
		return nil, nil
	}
	list, ok := v.([]interface{})
	if !ok {
		return nil, cannot("iceServers as %s ([]webrtc.ICEServer)", describe(v))
	}
	servers := make([]webrtc.ICEServer, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]interface{})
		if !ok {
			return nil, cannot("an ICE server that is %s (webrtc.ICEServer is a struct)", describe(e))
		}
		var server webrtc.ICEServer
		switch urls := member(m, "urls").(type) {
		case jsUndefined:
		case string:
			server.URLs = []string{urls} // the DOMString branch of (DOMString or sequence<DOMString>)
		case []interface{}:
			server.URLs = make([]string, 0, len(urls))
			for _, u := range urls {
				s, ok := u.(string)
				if !ok {
					return nil, cannot("a URL that is %s ([]string)", describe(u))
				}
				server.URLs = append(server.URLs, s)
			}
		default:
			return nil, cannot("urls as %s (a string or a list of strings)", describe(urls))
		}
		switch username := member(m, "username").(type) {
		case jsUndefined:
		case string:
			server.Username = username
		default:
			return nil, cannot("username as %s (string)", describe(username))
		}
		switch credential := member(m, "credential").(type) {
		case jsUndefined:
		case string:
			server.Credential = credential
		default:
			return nil, cannot("credential as %s (a string: the spec's DOMString)", describe(credential))
		}
		servers = append(servers, server)
	}
	return servers, nil
}

// toOfferOptions: RTCOfferOptions -> *webrtc.OfferOptions (nil for undefined and null, as WebIDL reads both as
// an empty dictionary and Pion reads nil as no options).
func toOfferOptions(v interface{}) (*webrtc.OfferOptions, error) {
	switch x := v.(type) {
	case jsUndefined, nil:
		return nil, nil
	case map[string]interface{}:
		opts := &webrtc.OfferOptions{}
		switch r := member(x, "iceRestart").(type) {
		case jsUndefined:
		case bool:
			opts.ICERestart = r
		default:
			return nil, cannot("iceRestart as %s (bool)", describe(r))
		}
		return opts, nil
	}
	return nil, cannot("offer options that are %s (*webrtc.OfferOptions)", describe(v))
}

// toAnswerOptions: RTCAnswerOptions has no members the spec defines.
func toAnswerOptions(v interface{}) (*webrtc.AnswerOptions, error) {
	switch v.(type) {
	case jsUndefined, nil:
		return nil, nil
	case map[string]interface{}:
		return &webrtc.AnswerOptions{}, nil
	}
	return nil, cannot("answer options that are %s (*webrtc.AnswerOptions)", describe(v))
}

// toDescription: RTCSessionDescriptionInit / RTCLocalSessionDescriptionInit -> webrtc.SessionDescription.
// The type goes through webrtc.NewSDPType (an unknown string is SDPType Unknown, as is an absent type).
func toDescription(v interface{}) (webrtc.SessionDescription, error) {
	var d webrtc.SessionDescription
	m, ok := v.(map[string]interface{})
	if !ok {
		return d, cannot("a description that is %s (webrtc.SessionDescription is a struct)", describe(v))
	}
	switch t := member(m, "type").(type) {
	case jsUndefined:
	case string:
		d.Type = webrtc.NewSDPType(t)
	default:
		return d, cannot("a description type as %s (webrtc.SDPType is parsed from a string)", describe(t))
	}
	switch sdp := member(m, "sdp").(type) {
	case jsUndefined:
	case string:
		d.SDP = sdp
	default:
		return d, cannot("sdp as %s (string)", describe(sdp))
	}
	return d, nil
}

func toLabel(v interface{}) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", cannot("a label that is %s (CreateDataChannel takes a string)", describe(v))
	}
	return s, nil
}

// hasLoneSurrogate: the raw JSON has a string with a \u escape of a surrogate that is not half of a pair. Go's
// JSON decoder turns such a surrogate into U+FFFD, which is WebIDL's USVString conversion but not DOMString's
// (RTCIceServer's username and credential keep it), and a Go string (UTF-8) cannot hold it for Pion.
func hasLoneSurrogate(raw []byte) bool {
	hex := func(i int) (int, bool) {
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		return int(n), err == nil
	}
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\':
			if n, ok := hex(i); ok && n >= 0xD800 && n <= 0xDFFF {
				if next, paired := hex(i + 6); n <= 0xDBFF && paired && next >= 0xDC00 && next <= 0xDFFF {
					i += 11
					continue
				}
				return true
			}
			i++ // the escaped character
		}
	}
	return false
}
