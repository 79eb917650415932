# B602-B607, B609: processes and shells; severity follows whether the command is constant
import os
import subprocess  # expect: B404
import subprocess as sp  # expect: B404
from subprocess import Popen, run as run_cmd  # expect: B404
from os import system as sh

subprocess.call(cmd, shell=True)  # expect: B602[sev=high]
sp.Popen(f"ls {path}", shell=True)  # expect: B602[sev=high]
run_cmd(user_cmd, shell=True, check=True)  # expect: B602[sev=high]
subprocess.run("ls -l", shell=True)  # expect: B602[sev=low],B607
subprocess.run("/bin/ls -l", shell=True)  # expect: B602[sev=low]
subprocess.run(["/bin/ls", "-l"])  # expect: B603
Popen(["/usr/bin/git", "status"])  # expect: B603
sp.check_output(args)  # expect: B603
subprocess.run(["git", "status"])  # expect: B603,B607
subprocess.run(["ls"], shell=False)  # expect: B603,B607
helper.run_shell(cmd, shell=True)  # expect: B604
utils.execute("ls", shell=True)  # expect: B604
spawn(cmd, shell=True)  # expect: B604
helper.run_shell(cmd, shell=False)  # ok
magics.Manager(shell=self_shell)  # ok
os.system(cmd)  # expect: B605[sev=high]
sh(f"rm -rf {d}")  # expect: B605[sev=high]
os.popen("/usr/bin/uptime")  # expect: B605[sev=low]
os.system("ls")  # expect: B605[sev=low],B607
os.execv("/bin/ls", args)  # expect: B606
os.spawnl(os.P_WAIT, "/bin/true")  # expect: B606
os.startfile(path)  # expect: B606
os.execvp("ls", ["ls"])  # expect: B606,B607


def runner(subprocess, system):
    subprocess.call(cmd)  # ok
    system(cmd)  # ok


os.path.join(a, b)  # ok
sp.DEVNULL  # ok
shlex.quote(arg)  # ok

subprocess.run(["/bin/tar", "czf", "x.tgz", "*"])  # expect: B603
subprocess.call("tar czf backup.tgz *", shell=True)  # expect: B602,B607,B609
os.system("chmod 755 /srv/*")  # expect: B605,B607,B609
sp.Popen(f"rsync -a {src}/* dest", shell=True)  # expect: B602,B609
os.system("/bin/chown root /srv/*.conf")  # expect: B605,B609
os.system("echo *")  # expect: B605,B607
