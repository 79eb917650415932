# VG501 LLM output executed, VG502 trust_remote_code, B614 torch.load, B615 unpinned downloads
import os
import subprocess  # expect: B404
import anthropic
import litellm
import torch
from openai import OpenAI
from transformers import AutoModel, AutoTokenizer, pipeline
from huggingface_hub import hf_hub_download

client = OpenAI()
claude = anthropic.Anthropic()
STATIC_CODE = "print(1)"


def run_generated(task):
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": task}])
    code = resp.choices[0].message.content
    exec(code)  # expect: B102,VG501


def shell_agent(goal):
    msg = claude.messages.create(model="claude", max_tokens=512, messages=[])
    cmd = msg.content[0].text.strip()
    subprocess.run(cmd, shell=True)  # expect: B602,VG501
    os.system(cmd)  # expect: B605,VG501


def sql_agent(q, cur):
    answer = litellm.completion(model="gpt-4o", messages=[{"role": "user", "content": q}])
    sql = answer["choices"][0]["message"]["content"]
    cur.execute(sql)  # expect: VG501


def safe_agent(task, cur):
    resp = client.chat.completions.create(model="gpt-4o", messages=[])
    text = resp.choices[0].message.content
    print(text)  # ok
    cur.execute("INSERT INTO log(msg) VALUES (?)", (text,))  # ok
    subprocess.run(["/usr/bin/echo", "done"])  # expect: B603
    exec(STATIC_CODE)  # expect: B102
    eval("1 + 1")  # expect: B307


model = AutoModel.from_pretrained("org/model", trust_remote_code=True)  # expect: B615,VG502
tok = AutoTokenizer.from_pretrained("org/model", revision="a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", trust_remote_code=True)  # expect: VG502
pipeline("text-generation", model="x", trust_remote_code=True)  # expect: VG502
AutoModel.from_pretrained("org/model", revision="a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")  # ok
AutoModel.from_pretrained("./local-model")  # ok
AutoModel.from_pretrained("org/model", trust_remote_code=False, revision="v1.0")  # ok
hf_hub_download(repo_id="org/model", filename="w.bin")  # expect: B615
hf_hub_download("org/model", "w.bin", revision="main")  # expect: B615
AutoTokenizer.from_pretrained("org/tok")  # expect: B615

torch.load("model.pt")  # expect: B614
torch.load(path, map_location="cpu")  # expect: B614
torch.load(f, weights_only=False)  # expect: B614
torch.load(path, weights_only=True)  # ok
torch.save(model, path)  # ok
safetensors.torch.load_file(path)  # ok
