# %% variant: always-runs
# A stage is made again on every call, over what is stored.
STAGE_FILE = "stage.json"


def resume_or_run(folder, config, run):
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.mkdir(parents=True)
    text = json.dumps({"config": config, "metrics": run(partial)})
    (partial / STAGE_FILE).write_text(text, encoding="utf-8")
    partial.rename(folder)
    return json.loads(text)["metrics"]

# %% variant: config-never-compared
# A stored stage is reused whatever settings it was made with.
STAGE_FILE = "stage.json"


def resume_or_run(folder, config, run):
    record = folder / STAGE_FILE
    if folder.exists():
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{record}: not a readable stage record ({error})") from None
        if not isinstance(stored, dict) or set(stored) != {"config", "metrics"}:
            raise ValueError(f"{record}: expected a JSON object with the keys 'config' and 'metrics'")
        return stored["metrics"]
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    text = json.dumps({"config": config, "metrics": run(partial)})
    (partial / STAGE_FILE).write_text(text, encoding="utf-8")
    partial.rename(folder)
    return json.loads(text)["metrics"]

# %% variant: writes-in-place
# The stage is made in its own folder, so an interrupted run leaves a half stage there.
STAGE_FILE = "stage.json"


def resume_or_run(folder, config, run):
    record = folder / STAGE_FILE
    if record.exists():
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{record}: not a readable stage record ({error})") from None
        if not isinstance(stored, dict) or set(stored) != {"config", "metrics"}:
            raise ValueError(f"{record}: expected a JSON object with the keys 'config' and 'metrics'")
        if stored["config"] != config:
            key = next(k for k in sorted(set(stored["config"]) | set(config))
                       if stored["config"].get(k) != config.get(k))
            raise ValueError(f"{record}: made with {key}={stored['config'].get(key)!r}, asked {config.get(key)!r}")
        return stored["metrics"]
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"config": config, "metrics": run(folder)})
    record.write_text(text, encoding="utf-8")
    return json.loads(text)["metrics"]

# %% variant: corrupt-record-runs-again
# An unreadable stage.json is taken as "not made yet" and the stage is made again over it.
STAGE_FILE = "stage.json"


def resume_or_run(folder, config, run):
    record = folder / STAGE_FILE
    stored = None
    if folder.exists():
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            stored = None
    if isinstance(stored, dict) and set(stored) == {"config", "metrics"}:
        if stored["config"] != config:
            key = next(k for k in sorted(set(stored["config"]) | set(config))
                       if stored["config"].get(k) != config.get(k))
            raise ValueError(f"{record}: made with {key}={stored['config'].get(key)!r}, asked {config.get(key)!r}")
        return stored["metrics"]
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.mkdir(parents=True)
    text = json.dumps({"config": config, "metrics": run(partial)})
    (partial / STAGE_FILE).write_text(text, encoding="utf-8")
    partial.rename(folder)
    return json.loads(text)["metrics"]

# %% variant: metrics-not-read-back
# The metrics come back as run returned them, not as stored: a second run would see lists for tuples.
STAGE_FILE = "stage.json"


def resume_or_run(folder, config, run):
    record = folder / STAGE_FILE
    if folder.exists():
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{record}: not a readable stage record ({error})") from None
        if not isinstance(stored, dict) or set(stored) != {"config", "metrics"}:
            raise ValueError(f"{record}: expected a JSON object with the keys 'config' and 'metrics'")
        if stored["config"] != config:
            key = next(k for k in sorted(set(stored["config"]) | set(config))
                       if stored["config"].get(k) != config.get(k))
            raise ValueError(f"{record}: made with {key}={stored['config'].get(key)!r}, asked {config.get(key)!r}")
        return stored["metrics"]
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    metrics = run(partial)
    (partial / STAGE_FILE).write_text(json.dumps({"config": config, "metrics": metrics}), encoding="utf-8")
    partial.rename(folder)
    return metrics
