(function(){
"use strict";
var body=document.body;
var D=JSON.parse(document.getElementById("ns-data").textContent);
var R=D.rows;
// Figures as the page's (htmlnum.go): 3 significant digits, never an
// exponent; counts with a unit prefix.
function g(v){if(v==null)return "–";if(v===0)return "0";return v.toFixed(Math.max(0,2-Math.floor(Math.log10(Math.abs(v)))));}
function cnt(v){
  if(v!=null)v=+v.toPrecision(3);
  if(v==null)return "–";
  if(Math.abs(v)<999.5)return Math.round(v).toFixed(0);
  var u=["K","M","G","T","P","E"],i=0;
  for(v/=1000;Math.abs(v)>=999.5&&i<u.length-1;i++)v/=1000;
  return g(v)+" "+u[i];
}
function f2(v){return v==null?"–":v.toFixed(2);}
var tip=document.getElementById("tip");
function line(cls,text){var d=document.createElement("div");if(cls)d.className=cls;d.textContent=text;tip.appendChild(d);}
function place(ev){
  var x=ev.pageX+14,y=ev.pageY+14,w=tip.offsetWidth;
  if(x+w>window.scrollX+document.documentElement.clientWidth-8)x=ev.pageX-w-14;
  tip.style.left=x+"px";tip.style.top=y+"px";
}
document.addEventListener("mouseover",function(ev){
  var t=ev.target;
  if(!t.getAttribute)return;
  var k=t.getAttribute("data-key");
  if(k==null||t.tagName==="TR")return;
  var c=t.getAttribute("class")||"";
  tip.textContent="";
  if(/(^| )pt( |$)/.test(c)){
    var r=R[+k];if(!r)return;
    line("t",r[0]);
    line("s",(r[8]?"your model":r[1])+" · rank "+r[7]+(r[9]&2?" · Pareto (MACs)":"")+(r[9]&1?" · Pareto (params)":""));
    line("","top-1 "+f2(r[2])+" %"+(r[10]?"  ·  top-5 "+f2(r[10])+" %":""));
    line("","params "+cnt(r[3]*1e6)+"  ·  MACs "+cnt(r[4]*1e9));
    line("","NetScore Ω "+f2(r[5])+"  ·  D "+g(r[6])+" %/M");
    if(r[11])line("s",r[11]);
  }else if(/(^| )lbar( |$)/.test(c)){
    var p=k.split(":"),l=(D.layers[p[0]]||[])[+p[1]];if(!l)return;
    line("t",l[0]||"(unnamed)");
    line("s",l[1]+(l[5]?" → "+l[5]:""));
    line("",cnt(l[2])+" "+l[6]+"  ·  "+(l[4]==null?"–":(100*l[4]).toFixed(1))+" % of the model  ·  params "+cnt(l[3]));
  }else return;
  tip.hidden=false;place(ev);
});
document.addEventListener("mousemove",function(ev){if(!tip.hidden)place(ev);});
document.addEventListener("mouseout",function(ev){var t=ev.target;if(t.getAttribute&&t.getAttribute("data-key")!=null)tip.hidden=true;});
document.addEventListener("click",function(ev){
  var t=ev.target;
  if(!t.getAttribute||!/(^| )pt( |$)/.test(t.getAttribute("class")||""))return;
  var tr=document.querySelector('#ranking-table tr[data-key="'+t.getAttribute("data-key")+'"]');
  if(!tr)return;
  tr.scrollIntoView({block:"center"});
  tr.classList.add("flash");
  setTimeout(function(){tr.classList.remove("flash");},2000);
});
var cb=document.getElementById("show-ref");
if(cb){
  if(location.hash==="#no-ref")cb.checked=false;
  var sync=function(){body.classList.toggle("hide-ref",!cb.checked);};
  cb.addEventListener("change",sync);sync();
}
var table=document.getElementById("ranking-table");
if(table){
  var tbody=table.tBodies[0],trs=Array.prototype.slice.call(tbody.rows);
  table.tHead.addEventListener("click",function(ev){
    var th=ev.target.closest("th");if(!th||th.getAttribute("data-k")==null)return;
    var k=+th.getAttribute("data-k"),cur=th.getAttribute("aria-sort");
    var dir=cur==="ascending"?-1:cur==="descending"?1:(th.getAttribute("data-dir")==="desc"?-1:1);
    trs.sort(function(a,b){
      var ra=R[+a.getAttribute("data-key")],rb=R[+b.getAttribute("data-key")],x=ra[k],y=rb[k];
      if(x==null&&y==null)return ra[7]-rb[7];
      if(x==null)return 1;
      if(y==null)return -1;
      var c=typeof x==="string"?x.localeCompare(y):x-y;
      return c*dir||ra[7]-rb[7];
    });
    var frag=document.createDocumentFragment();
    for(var i=0;i<trs.length;i++)frag.appendChild(trs[i]);
    tbody.appendChild(frag);
    var ths=table.tHead.rows[0].cells;
    for(var j=0;j<ths.length;j++)ths[j].removeAttribute("aria-sort");
    th.setAttribute("aria-sort",dir>0?"ascending":"descending");
  });
}
// The tooltip names every mark: the SVG's own titles (names whose labels
// did not fit, for a page read without this script) would show twice.
var titles=document.querySelectorAll("svg.plot title");
for(var i=0;i<titles.length;i++)titles[i].remove();
var figs=document.querySelectorAll("figure.chart");
for(var i=0;i<figs.length;i++){
  var fig=figs[i];
  if(fig.offsetParent===null){fig.setAttribute("data-drawn","hidden");continue;}
  var pts=fig.querySelectorAll(".pt"),n=0;
  for(var j=0;j<pts.length;j++){var b=pts[j].getBoundingClientRect();if(b.width>0&&b.height>0)n++;}
  fig.setAttribute("data-drawn",String(n));
}
if(location.hash==="#selftest"){
  // For tests in a headless browser, which cannot hover or click: the
  // first user mark's and layer bar's tooltips, then sorting by top-1 twice.
  var st=function(sel,name){
    var el=document.querySelector(sel);if(!el)return;
    el.dispatchEvent(new MouseEvent("mouseover",{bubbles:true,clientX:20,clientY:20}));
    body.setAttribute("data-selftest-"+name,el.getAttribute("data-key")+"|"+(tip.hidden?"":tip.textContent));
    el.dispatchEvent(new MouseEvent("mouseout",{bubbles:true}));
  };
  st("#top1_vs_gmacs .pt.user","tip");
  // Labels as the browser draws them: pairs overlapping by more than a pixel.
  var over=[],plots=document.querySelectorAll("figure.chart svg");
  for(var pi=0;pi<plots.length;pi++){
    var ls=plots[pi].querySelectorAll(".lbl"),bs=[];
    for(var li=0;li<ls.length;li++)bs.push(ls[li].getBBox());
    for(var a=0;a<bs.length;a++)for(var b=0;b<a;b++){
      var A=bs[a],B=bs[b];
      if(A.x+1<B.x+B.width&&B.x+1<A.x+A.width&&A.y+1<B.y+B.height&&B.y+1<A.y+A.height)over.push(ls[a].textContent+" / "+ls[b].textContent);
    }
  }
  body.setAttribute("data-selftest-label-overlaps",over.length+(over.length?": "+over.join("; "):""));
  st(".lbar","layer-tip");
  var th=table&&table.querySelector('th[data-k="2"]');
  if(th){
    th.click();var a=table.tBodies[0].rows[0].getAttribute("data-key");
    th.click();var b=table.tBodies[0].rows[0].getAttribute("data-key");
    body.setAttribute("data-selftest-sort",a+"|"+b);
  }
}
body.setAttribute("data-render-ms",performance.now().toFixed(1));
body.setAttribute("data-ready","1");
requestAnimationFrame(function(){setTimeout(function(){body.setAttribute("data-paint-ms",performance.now().toFixed(1));},0);});
window.addEventListener("load",function(){body.setAttribute("data-load-ms",performance.now().toFixed(1));});
})();
