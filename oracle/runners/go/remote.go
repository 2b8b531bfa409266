package main

// The remote peer of {"$remote": ...} tags: a second Pion connection, always built with an explicit
// Configuration{ICEServers: []ICEServer{}}, that offers a data channel and answers this connection's offers
// (as the JavaScript runner's remote peer does, in Pion's API).

import (
	"fmt"
	"os"

	webrtc "github.com/pion/webrtc"
)

// newPeer: a helper connection (never with ICE servers), closed with the session.
func (s *session) newPeer(label string) (*webrtc.PeerConnection, error) {
	p, err := s.api.NewPeerConnection(webrtc.Configuration{ICEServers: []webrtc.ICEServer{}})
	if err != nil {
		return nil, harness("a helper peer could not be made: %v", err)
	}
	s.extras = append(s.extras, p)
	if _, err := p.CreateDataChannel(label, nil); err != nil {
		return nil, harness("a helper peer's createDataChannel failed: %v", err)
	}
	return p, nil
}

func must(what string, err error) error {
	if err != nil {
		return harness("%s: %v", what, err)
	}
	return nil
}

// offer: p's offer; with iceRestart, Pion's ICE restart (which needs the ICE agent an earlier offer made).
func offer(p *webrtc.PeerConnection, iceRestart bool, who string) (webrtc.SessionDescription, error) {
	if iceRestart {
		if _, err := p.CreateOffer(nil); err != nil {
			return webrtc.SessionDescription{}, must(who+" createOffer", err)
		}
	}
	o, err := p.CreateOffer(&webrtc.OfferOptions{ICERestart: iceRestart})
	return o, must(who+" createOffer", err)
}

// sameDescription: the same offer or answer (the same o= line); not the whole SDP, which gains candidates.
func sameDescription(a, b *webrtc.SessionDescription) bool {
	return a != nil && b != nil && originLine(a.SDP) != "" && originLine(a.SDP) == originLine(b.SDP)
}

// remotePeer: the remote peer, made on first use.
func (s *session) remotePeer() (*webrtc.PeerConnection, error) {
	if s.remote == nil {
		p, err := s.newPeer("peerspec-remote")
		if err != nil {
			return nil, err
		}
		s.remote = p
	}
	return s.remote, nil
}

// remoteToStable brings the remote peer back to a state from which it can offer or answer, mirroring what the
// local connection holds: when the local connection applied the remote's offer and its own answer, the remote
// applies that answer; when the local connection still holds the remote's offer as its pending remote
// description, the remote keeps its offer. Anything else the remote did would be rolled back, but Pion
// v3.1.56 has no rollback (checkNextSignalingState refuses every rollback): the runner replaces the remote
// peer with a fresh one instead.
func (s *session) remoteToStable() (*webrtc.PeerConnection, error) {
	remote, err := s.remotePeer()
	if err != nil {
		return nil, err
	}
	state := remote.SignalingState()
	ours := remote.LocalDescription()
	if state == webrtc.SignalingStateHaveLocalOffer && sameDescription(s.pc.CurrentRemoteDescription(), ours) {
		if answer := s.pc.CurrentLocalDescription(); answer != nil && answer.Type == webrtc.SDPTypeAnswer {
			err := remote.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer.SDP})
			return remote, must("remote applies the local answer", err)
		}
	}
	if state == webrtc.SignalingStateHaveLocalOffer && sameDescription(s.pc.PendingRemoteDescription(), ours) {
		return remote, nil
	}
	if state == webrtc.SignalingStateStable {
		return remote, nil
	}
	fmt.Fprintf(os.Stderr, "peerspec-pion: the remote peer is in %s with a description the local connection does not hold, and Pion cannot roll back: a fresh remote peer takes its place\n", state)
	s.remote = nil
	return s.remotePeer()
}

// throwawayOffer: an offer (with a data channel) from a peer nothing else uses.
func (s *session) throwawayOffer(iceRestart bool) (webrtc.SessionDescription, error) {
	third, err := s.newPeer("peerspec-third")
	if err != nil {
		return webrtc.SessionDescription{}, err
	}
	return offer(third, iceRestart, "third")
}

// throwawayAnswer: the answer of a throwaway peer to o (applied by no one).
func (s *session) throwawayAnswer(o webrtc.SessionDescription) (webrtc.SessionDescription, error) {
	answerer, err := s.newPeer("peerspec-answerer")
	if err != nil {
		return webrtc.SessionDescription{}, err
	}
	if err := answerer.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: o.SDP}); err != nil {
		return webrtc.SessionDescription{}, must("third setRemoteDescription(offer)", err)
	}
	a, err := answerer.CreateAnswer(nil)
	return a, must("third createAnswer", err)
}

// remoteDescription: the description "made by the remote peer" for setRemoteDescription({$remote: ...}):
// {"$remote": KIND} or {"$remote": "offer", "iceRestart": true}.
func (s *session) remoteDescription(tag map[string]interface{}) (webrtc.SessionDescription, error) {
	var none webrtc.SessionDescription
	kind, _ := tag["$remote"].(string)
	if kind != "offer" && kind != "answer" && kind != "pranswer" {
		return none, harness("unknown $remote kind: %s", describe(tag["$remote"]))
	}
	restart, hasRestart := tag["iceRestart"]
	size := 1
	if hasRestart {
		size = 2
	}
	if len(tag) != size || (hasRestart && (kind != "offer" || restart != true)) {
		return none, harness(`a $remote tag is {"$remote": KIND} or {"$remote": "offer", "iceRestart": true}`)
	}
	typed := func(kind string, sdp string) webrtc.SessionDescription {
		return webrtc.SessionDescription{Type: webrtc.NewSDPType(kind), SDP: sdp}
	}
	// A closed connection rejects any description: give it a well-formed one made by throwaway peers.
	if s.pc.SignalingState() == webrtc.SignalingStateClosed {
		o, err := s.throwawayOffer(hasRestart)
		if err != nil || kind == "offer" {
			return typed(kind, o.SDP), err
		}
		a, err := s.throwawayAnswer(o)
		return typed(kind, a.SDP), err
	}
	remote, err := s.remoteToStable()
	if err != nil {
		return none, err
	}
	if kind == "offer" {
		o, err := offer(remote, hasRestart, "remote")
		if err != nil {
			return none, err
		}
		// A remote peer that keeps its pending offer (have-local-offer) cannot apply a new one in Pion; the
		// local answer, if any, will answer this one.
		if remote.SignalingState() == webrtc.SignalingStateStable {
			if err := must("remote setLocalDescription(offer)", remote.SetLocalDescription(o)); err != nil {
				return none, err
			}
		}
		return typed("offer", o.SDP), nil
	}
	var localOffer *webrtc.SessionDescription
	if pending := s.pc.PendingLocalDescription(); pending != nil && pending.Type == webrtc.SDPTypeOffer {
		localOffer = &webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: pending.SDP}
	}
	if kind == "answer" && localOffer != nil && remote.SignalingState() == webrtc.SignalingStateStable {
		// The answer to the local connection's own pending offer: the remote applies it, as a real peer would.
		if err := must("remote setRemoteDescription(offer)", remote.SetRemoteDescription(*localOffer)); err != nil {
			return none, err
		}
		a, err := remote.CreateAnswer(nil)
		if err != nil {
			return none, must("remote createAnswer", err)
		}
		if err := must("remote setLocalDescription(answer)", remote.SetLocalDescription(a)); err != nil {
			return none, err
		}
		return typed("answer", a.SDP), nil
	}
	// A pranswer to the pending local offer, or a description answering some other peer's offer.
	source := localOffer
	if source == nil {
		o, err := s.throwawayOffer(false)
		if err != nil {
			return none, err
		}
		source = &o
	}
	a, err := s.throwawayAnswer(*source)
	return typed(kind, a.SDP), err
}
