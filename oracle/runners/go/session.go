package main

// One session: one trace's state (oracle/SESSION-PROTOCOL.md, "What a runner keeps per session").

import (
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/logging"
	webrtc "github.com/pion/webrtc"
)

// callTimeout bounds one Pion call (peerspec's own bound per answer is 10 s by default).
const callTimeout = 5 * time.Second

// settleDelay: how long a step waits for Pion's operations queue to run after the call returned, so that the
// negotiationneeded events the step caused are counted in its own `after` (PEERSPEC_PION_SETTLE_MS overrides).
var settleDelay = func() time.Duration {
	if ms, err := strconv.Atoi(os.Getenv("PEERSPEC_PION_SETTLE_MS")); err == nil && ms >= 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 30 * time.Millisecond
}()

// newAPI: what webrtc.NewPeerConnection uses (default codecs and interceptors), with two settings of
// Pion's SettingEngine that only concern the network: Pion's log goes to standard error (its default writer is
// standard output, where the protocol's answers go), and multicast DNS is off (no mDNS queries or announcements
// from any connection this runner makes). Neither touches the configuration or signaling logic under test.
func newAPI() (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		return nil, err
	}
	registry := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, registry); err != nil {
		return nil, err
	}
	loggers := logging.NewDefaultLoggerFactory()
	loggers.Writer = os.Stderr
	settings := webrtc.SettingEngine{LoggerFactory: loggers}
	settings.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(registry),
		webrtc.WithSettingEngine(settings)), nil
}

type session struct {
	api               *webrtc.API
	pc                *webrtc.PeerConnection
	remote            *webrtc.PeerConnection   // the remote peer ($remote tags)
	extras            []*webrtc.PeerConnection // every other connection made (closed with the session)
	certs             map[string]*webrtc.Certificate
	certOrder         []string
	negotiationneeded int64 // atomic: OnNegotiationNeeded callbacks so far
	lastOffer         string
	lastAnswer        string
	constructed       bool
	stopped           bool   // construct threw: later steps are not run
	noConnection      string // construct could not be expressed: later steps are notImplemented
	loneSurrogate     bool   // the current step's args hold a string with a lone surrogate (values.go)
	hung              bool   // a Pion call did not return
}

func newSession() (*session, error) {
	api, err := newAPI()
	if err != nil {
		return nil, err
	}
	return &session{api: api, certs: map[string]*webrtc.Certificate{}}, nil
}

// step runs one trace step and returns it as observed: its members unchanged, plus outcome and after.
func (s *session) step(step map[string]json.RawMessage) map[string]interface{} {
	observed := map[string]interface{}{}
	for k, v := range step {
		if k != "outcome" && k != "after" {
			observed[k] = v
		}
	}
	if s.stopped {
		return observed
	}
	outcome := s.run(step)
	observed["outcome"] = outcome
	if _, ran := outcome["ok"]; ran {
		s.settle()
	} else if _, ran := outcome["error"]; ran {
		s.settle()
	}
	observed["after"] = s.after()
	return observed
}

func (s *session) after() interface{} {
	if s.pc == nil {
		return nil
	}
	return map[string]interface{}{
		"signalingState":    s.pc.SignalingState().String(),
		"negotiationneeded": atomic.LoadInt64(&s.negotiationneeded),
	}
}

// settle lets Pion's operations queue run (negotiationneeded is fired from it, asynchronously): wait
// settleDelay, and again while the last wait saw a new event (at most 10 times).
func (s *session) settle() {
	if s.pc == nil || settleDelay == 0 {
		return
	}
	before := atomic.LoadInt64(&s.negotiationneeded)
	time.Sleep(settleDelay)
	for i := 0; i < 10; i++ {
		now := atomic.LoadInt64(&s.negotiationneeded)
		if now == before {
			return
		}
		before = now
		time.Sleep(settleDelay)
	}
}

var errTimeout = errors.New("timed out")

// call runs one Pion call, bounded by callTimeout.
func (s *session) call(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(callTimeout):
		s.hung = true
		return errTimeout
	}
}

// outcomeOf: the recorded outcome of a call that returned err (nil: ok with result).
func outcomeOf(err error, kind string, result func() interface{}) map[string]interface{} {
	var notExpressible *cannotExpress
	var harnessErr *harnessError
	switch {
	case err == nil:
		return map[string]interface{}{"ok": result()}
	case errors.Is(err, errTimeout):
		return map[string]interface{}{"timeout": true}
	case errors.As(err, &notExpressible):
		return map[string]interface{}{"notImplemented": err.Error()}
	case errors.As(err, &harnessErr):
		return map[string]interface{}{"runnerError": err.Error()}
	}
	return describeError(err, kind)
}

func null() interface{} { return nil }

// The spec's synchronous methods throw; its promise-returning ones reject.
const (
	throw  = "throw"
	reject = "reject"
)

func (s *session) run(step map[string]json.RawMessage) map[string]interface{} {
	var op string
	if err := json.Unmarshal(step["op"], &op); err != nil {
		return runnerError("a step's op is a string")
	}
	args := map[string]interface{}{}
	if raw, ok := step["args"]; ok {
		v, err := parseJSON(raw)
		m, isObject := v.(map[string]interface{})
		if err != nil || !isObject {
			return runnerError("a step's args is an object")
		}
		args = m
	}
	if s.hung {
		return runnerError("an earlier Pion call of this session did not return")
	}
	s.loneSurrogate = hasLoneSurrogate(step["args"])
	switch op {
	case "generateCertificate":
		return s.generateCertificate(args)
	case "construct":
		return s.construct(args)
	case "setConfiguration", "getConfiguration", "createOffer", "createAnswer", "setLocalDescription",
		"setRemoteDescription", "restartIce", "close", "createDataChannel":
	default:
		return runnerError("unknown op: %q", op)
	}
	if s.pc == nil {
		if s.noConnection != "" {
			return map[string]interface{}{"notImplemented": s.noConnection}
		}
		return runnerError("%s before construct", op)
	}
	pc := s.pc
	switch op {
	case "setConfiguration":
		c, err := s.configurationArg(args)
		if err == nil {
			err = s.call(func() error { return pc.SetConfiguration(c) })
		}
		return outcomeOf(err, throw, null)
	case "getConfiguration":
		var c webrtc.Configuration
		err := s.call(func() error { c = pc.GetConfiguration(); return nil })
		return outcomeOf(err, throw, func() interface{} { return s.encodeConfiguration(c) })
	case "createOffer":
		var opts *webrtc.OfferOptions
		d, err := s.argument(args, "options")
		if err == nil && d != nil {
			opts, err = toOfferOptions(d)
		}
		var offer webrtc.SessionDescription
		if err == nil {
			err = s.call(func() (e error) { offer, e = pc.CreateOffer(opts); return })
		}
		return outcomeOf(err, reject, func() interface{} {
			s.lastOffer = offer.SDP
			return describeDescription(offer)
		})
	case "createAnswer":
		var opts *webrtc.AnswerOptions
		d, err := s.argument(args, "options")
		if err == nil && d != nil {
			opts, err = toAnswerOptions(d)
		}
		var answer webrtc.SessionDescription
		if err == nil {
			err = s.call(func() (e error) { answer, e = pc.CreateAnswer(opts); return })
		}
		return outcomeOf(err, reject, func() interface{} {
			s.lastAnswer = answer.SDP
			return describeDescription(answer)
		})
	case "setLocalDescription":
		desc, err := s.descriptionArg(args, "SetLocalDescription")
		if err == nil {
			err = s.call(func() error { return pc.SetLocalDescription(desc) })
		}
		return outcomeOf(err, reject, null)
	case "setRemoteDescription":
		var desc webrtc.SessionDescription
		var err error
		tag, isObject := args["description"].(map[string]interface{})
		if _, isRemote := tag["$remote"]; isObject && isRemote {
			desc, err = s.remoteDescription(tag)
		} else {
			desc, err = s.descriptionArg(args, "SetRemoteDescription")
		}
		if err == nil {
			err = s.call(func() error { return pc.SetRemoteDescription(desc) })
		}
		return outcomeOf(err, reject, null)
	case "restartIce":
		return map[string]interface{}{"notImplemented": "Pion's API has no restartIce (PeerConnection has no RestartIce method in this version)"}
	case "close":
		err := s.call(pc.Close)
		return outcomeOf(err, throw, null)
	case "createDataChannel":
		d, err := s.argument(args, "label")
		var label string
		if err == nil && d == nil {
			err = cannot("createDataChannel without a label (CreateDataChannel's label is a required string)")
		}
		if err == nil {
			label, err = toLabel(d)
		}
		var channel *webrtc.DataChannel
		if err == nil {
			err = s.call(func() (e error) { channel, e = pc.CreateDataChannel(label, nil); return })
		}
		return outcomeOf(err, throw, func() interface{} { return map[string]interface{}{"label": channel.Label()} })
	}
	return runnerError("unhandled op: %q", op)
}

// argument: the decoded value of args[name], nil when absent.
func (s *session) argument(args map[string]interface{}, name string) (interface{}, error) {
	v, ok := args[name]
	if !ok {
		return nil, nil
	}
	return s.decode(v)
}

// configurationArg: setConfiguration's and construct's argument; an absent one is the zero Configuration
// (the spec's default {}).
func (s *session) configurationArg(args map[string]interface{}) (webrtc.Configuration, error) {
	if s.loneSurrogate {
		return webrtc.Configuration{}, cannot("a configuration string with a lone surrogate (Go strings are UTF-8; a DOMString keeps it)")
	}
	d, err := s.argument(args, "configuration")
	if err != nil || d == nil {
		if _, present := args["configuration"]; present && err == nil {
			return webrtc.Configuration{}, cannot("a configuration that is null (webrtc.Configuration is a struct)")
		}
		return webrtc.Configuration{}, err
	}
	return toConfiguration(d)
}

func (s *session) descriptionArg(args map[string]interface{}, method string) (webrtc.SessionDescription, error) {
	d, err := s.argument(args, "description")
	if err != nil {
		return webrtc.SessionDescription{}, err
	}
	if _, present := args["description"]; !present || isUndefined(d) {
		return webrtc.SessionDescription{}, cannot("%s without a description (its SessionDescription argument is required)", method)
	}
	if m, isObject := d.(map[string]interface{}); isObject && method == "SetLocalDescription" && isUndefined(member(m, "type")) {
		// setLocalDescription step 4.1 infers an absent type from the signaling state; webrtc.SDPType has no
		// "absent" (its Unknown is refused as an invalid type), so Pion cannot be asked for that inference.
		return webrtc.SessionDescription{}, cannot("SetLocalDescription with a description without a type (webrtc.SDPType has no absent value)")
	}
	return toDescription(d)
}

func describeDescription(d webrtc.SessionDescription) map[string]interface{} {
	return map[string]interface{}{"type": d.Type.String(), "iceCredentials": iceCredentials(d.SDP)}
}

func (s *session) construct(args map[string]interface{}) map[string]interface{} {
	if s.constructed {
		return runnerError("second construct")
	}
	s.constructed = true
	c, err := s.configurationArg(args)
	if err != nil {
		// No connection, no later step (TRACE-FORMAT.md): every later step is notImplemented.
		var notExpressible *cannotExpress
		var harnessErr *harnessError
		if errors.As(err, &notExpressible) {
			s.noConnection = "no connection: construct's configuration could not be expressed"
		} else if errors.As(err, &harnessErr) {
			s.noConnection = "no connection: construct was not run (" + err.Error() + ")"
		}
		return outcomeOf(err, throw, null)
	}
	var pc *webrtc.PeerConnection
	err = s.call(func() (e error) { pc, e = s.api.NewPeerConnection(c); return })
	if err != nil {
		s.stopped = true
		return outcomeOf(err, throw, null)
	}
	pc.OnNegotiationNeeded(func() { atomic.AddInt64(&s.negotiationneeded, 1) })
	s.pc = pc
	return map[string]interface{}{"ok": nil}
}

func (s *session) generateCertificate(args map[string]interface{}) map[string]interface{} {
	if s.constructed {
		return runnerError("generateCertificate after construct")
	}
	name, ok := args["name"].(string)
	if !ok {
		return runnerError("generateCertificate needs args.name")
	}
	d, err := s.argument(args, "keygenAlgorithm")
	if err == nil && d == nil {
		err = cannot("generateCertificate without a keygenAlgorithm (required)")
	}
	var k keygen
	if err == nil {
		k, err = toKeygen(d)
	}
	if err != nil {
		return outcomeOf(err, reject, null)
	}
	key, err := k.makeKey()
	if err != nil {
		return runnerError("Go's crypto could not make the key: %v", err)
	}
	var cert *webrtc.Certificate
	err = s.call(func() (e error) { cert, e = k.certificate(key); return })
	return outcomeOf(err, reject, func() interface{} {
		if _, seen := s.certs[name]; !seen {
			s.certOrder = append(s.certOrder, name)
		}
		s.certs[name] = cert
		return map[string]interface{}{"$certificate": name}
	})
}

// encodeConfiguration: getConfiguration's dictionary. ICE servers as Pion's own ICEServer.MarshalJSON writes
// them (username when not empty, credential when set) without its credentialType, which the spec does not define.
func (s *session) encodeConfiguration(c webrtc.Configuration) map[string]interface{} {
	servers := []interface{}{}
	for _, server := range c.ICEServers {
		urls := server.URLs
		if urls == nil {
			urls = []string{}
		}
		entry := map[string]interface{}{"urls": urls}
		if server.Username != "" {
			entry["username"] = server.Username
		}
		if server.Credential != nil {
			entry["credential"] = server.Credential
		}
		servers = append(servers, entry)
	}
	certs := []interface{}{}
	for _, cert := range c.Certificates {
		certs = append(certs, map[string]interface{}{"$certificate": s.certName(cert)})
	}
	return map[string]interface{}{
		"iceServers":           servers,
		"iceTransportPolicy":   c.ICETransportPolicy.String(),
		"bundlePolicy":         c.BundlePolicy.String(),
		"rtcpMuxPolicy":        c.RTCPMuxPolicy.String(),
		"certificates":         certs,
		"iceCandidatePoolSize": c.ICECandidatePoolSize,
	}
}

// certName: the trace's name for a certificate (Certificate.Equals), or nil.
func (s *session) certName(cert webrtc.Certificate) interface{} {
	for _, name := range s.certOrder {
		if s.certs[name].Equals(cert) {
			return name
		}
	}
	return nil
}

func (s *session) peek() interface{} {
	if s.pc == nil || s.hung {
		return nil
	}
	return s.encodeConfiguration(s.pc.GetConfiguration())
}

// closeAll closes every connection the session made.
func (s *session) closeAll() {
	all := append([]*webrtc.PeerConnection{s.pc, s.remote}, s.extras...)
	done := make(chan struct{})
	go func() {
		for _, p := range all {
			if p != nil {
				_ = p.Close()
			}
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(callTimeout):
	}
}
