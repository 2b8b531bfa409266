"""`peerspec serve`: a local web page that puts a trace's calls, the model's verdict on each, the spec step that
decided it (a link into the Editor's Draft) and the visitor's own browser side by side.

evaluation.py turns trace text into the page's JSON (the model's run, through model_runner and narrate);
comparison.py judges a trace the visitor's browser recorded (batch_check / deviations, as `peerspec check`);
spec_links.py maps a citation to the Editor's Draft anchor; app.py is the Starlette application; server.py binds
the socket and runs uvicorn. The page itself is static/ (plain ES modules, nothing loaded from elsewhere).
"""
