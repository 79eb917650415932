"""FastAPI side of the portal: greeting page and report generation."""
import subprocess

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from openai import OpenAI

api = FastAPI()
client = OpenAI()


@api.get("/hello/{name}", response_class=HTMLResponse)
def hello(name: str):
    return HTMLResponse(f"<h1>Hello {name}</h1>")


@api.post("/reports/run")
def run_report(question: str):
    completion = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": f"Write a shell command that answers: {question}"}],
    )
    command = completion.choices[0].message.content
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    return {"output": result.stdout}
