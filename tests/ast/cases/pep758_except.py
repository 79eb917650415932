try:
    connect()
except TimeoutError, ConnectionError:
    retry()
except (ValueError, TypeError) as e:
    log(e)
except KeyError,:
    pass
except os.error, socket.error, OSError:
    raise
try:
    run()
except* ValueError, TypeError:
    pass
