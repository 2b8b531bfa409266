"""peerspec: an executable specification of RTCPeerConnection configuration (W3C WebRTC 1.0 and JSEP).

Everything peerspec installs lives under this one name, so nothing collides with a user's own modules:
``peerspec.model`` (the specification), ``peerspec.properties`` (strategies, invariants, stateful machines),
``peerspec.oracle`` (trace format, the ``peerspec`` command, implementations), and the data the oracle needs,
``peerspec/conformance`` (the deviation registry) and ``peerspec/vectors`` (the committed vectors).

In a checkout those are the top-level folders ``model/``, ``properties/``, ``oracle/``, ``conformance/`` and
``vectors/``, linked here; the wheel carries them as real folders.
"""
